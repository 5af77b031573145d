// Training over weeks against published studies (docs/validation.md, "Training"). The adaptation
// constants were set from other studies (docs/training.md, "Calibration"); these are not among them.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <string>

#include "pulley/io/programme_yaml.hpp"
#include "pulley/io/subject_yaml.hpp"
#include "pulley/training/programme.hpp"

namespace pulley::training {
namespace {

ProgrammeResult run(const std::string& text,
                    const AdaptationModel& adaptation = default_adaptation_model(),
                    const model::Subject& subject = model::Subject{}) {
  ProgrammeSettings settings;
  settings.loads_and_strain = false;
  settings.adaptation = adaptation;
  return simulate_programme(subject, io::parse_programme_yaml(text, "p.yaml"), settings);
}

// Presland et al. 2018 (Scand J Med Sci Sports 28:1775): 6 weeks of Nordic training lengthened
// the biceps femoris long head's fascicles by 23 +- 7 % (high volume) and 24 +- 4 % (low), most of
// it within 2 weeks; 2 weeks without training took 15-17 % off; eccentric strength +28-34 %,
// kept over 4 weeks without (-7 +- 7 % / -2 +- 5 %, neither significant).
TEST(TrainingValidation, NordicProgrammePresland2018) {
  const ProgrammeResult r = run(
      "weeks: 10\nexercises:\n  - {name: nordic_hamstring, sessions_per_week: 2, to_week: 6}\n");
  const int bflh = muscle_index("biceps_femoris_long");
  const double week2 = r.weeks[2].state.fascicle_length[0][bflh] - 1.0;
  const double week6 = r.weeks[6].state.fascicle_length[0][bflh] - 1.0;
  const double week8 = r.weeks[8].state.fascicle_length[0][bflh];
  EXPECT_GE(week6, 0.15);  // the issue accepts 15-30 %
  EXPECT_LE(week6, 0.30);
  EXPECT_GT(week2, 0.5 * week6);  // most of it by week 2
  const double detrained = week8 / (1.0 + week6) - 1.0;
  EXPECT_LE(detrained, -0.15);  // the issue's -15 to -17 %
  EXPECT_GE(detrained, -0.17);
  const double nordic0 = r.weeks[0].tests.nordic_force_n[0].value;
  const double nordic6 = r.weeks[6].tests.nordic_force_n[0].value;
  const double nordic10 = r.weeks[10].tests.nordic_force_n[0].value;
  // Documented miss, narrow: +34.2 %, just above the two groups' means, +28 and +34 % (within the
  // low-volume group's spread of 14 points; +32.7 %, within, before the neural gain was refitted
  // on the model whose vasti follow Chen et al. 2016: docs/validation.md, Training over weeks).
  // Held near its size (chosen: a change that brings it back within +28 to +34 %, or takes it two
  // points further, must update docs/validation.md).
  EXPECT_GT(nordic6 / nordic0 - 1.0, 0.34);
  EXPECT_LT(nordic6 / nordic0 - 1.0, 0.36);
  // Kept over 4 weeks without: within the low-volume group's -2 +- 5 % (the model's longer
  // fascicles return within two weeks while the volume they were added to stays, so the
  // cross-section, and the force, rise a little).
  EXPECT_GT(nordic10 / nordic6 - 1.0, -0.07);
  EXPECT_LT(nordic10 / nordic6 - 1.0, 0.03);
  RecordProperty("bflh_fascicle_week2_pct", std::to_string(100 * week2));
  RecordProperty("bflh_fascicle_week6_pct", std::to_string(100 * week6));
  RecordProperty("bflh_fascicle_detraining_pct", std::to_string(100 * detrained));
  RecordProperty("nordic_force_week6_pct", std::to_string(100 * (nordic6 / nordic0 - 1.0)));
  RecordProperty("nordic_force_detraining_pct", std::to_string(100 * (nordic10 / nordic6 - 1.0)));
}

// Ribeiro-Alvares, Marques, Vaz & Baroni 2018 (J Strength Cond Res; abstract): 4 weeks of Nordic
// training, twice a week, 3 sets of 6-10, in 10 active young adults: biceps femoris long head
// fascicles +22 %, pennation -17 %, thickness unchanged; isometric knee flexion peak torque +9 %,
// eccentric +13 %; sit-and-reach is not among the outcomes that changed.
TEST(TrainingValidation, NordicFourWeeksRibeiroAlvares2018) {
  const std::string programme =
      "weeks: 4\nexercises:\n"
      "  - {name: nordic_hamstring, sets: 3, reps: 8, sessions_per_week: 2}\n";
  const auto gains = [&](const AdaptationModel& adaptation) {
    const ProgrammeResult r = run(programme, adaptation);
    const auto& t0 = r.weeks.front().tests;
    const auto& t4 = r.weeks.back().tests;
    return std::array<double, 3>{
        t4.knee_flexion_torque_nm_per_kg[0].value / t0.knee_flexion_torque_nm_per_kg[0].value - 1,
        r.weeks.back().state.fascicle_length[0][muscle_index("biceps_femoris_long")] - 1.0,
        t4.straight_leg_raise_deg[0].value - t0.straight_leg_raise_deg[0].value};
  };
  const auto [flexion, fascicle, raise] = gains(default_adaptation_model());
  EXPECT_GE(fascicle, 0.15);  // +22 % published; the band accepted for Presland's
  EXPECT_LE(fascicle, 0.30);
  // A documented miss: isometric knee flexion above the published +9 % (docs/validation.md).
  EXPECT_GT(flexion, 0.09);
  // The longer fascicles leave the raise as it was (chosen bound: 3 deg, under half the raise's
  // smallest detectable change of 6-7 deg, docs/assessment.md); +17.9 deg before the passive
  // strains followed the added sarcomeres (model/compile.cpp, apply_factors). Not independent:
  // this study was read when that rule was chosen.
  EXPECT_LT(std::abs(raise), 3.0);
  // What the miss lies in. The architecture alone (no neural gain) stays within the published
  // gain: the longer fascicles move the seated hamstrings up their force-length curve, and their
  // cross-section, the volume over the longer fibres, shrinks. The neural gain alone is above it.
  AdaptationModel architecture_only = default_adaptation_model();
  architecture_only.neural.gain = 0.0;
  AdaptationModel neural_only = default_adaptation_model();
  neural_only.fascicle_length.gain = 0.0;
  neural_only.hypertrophy.gain = 0.0;
  const double flexion_architecture = gains(architecture_only)[0];
  const double flexion_neural = gains(neural_only)[0];
  EXPECT_LT(std::abs(flexion_architecture), 0.09);
  EXPECT_GT(flexion_neural, 0.09);
  RecordProperty("knee_flexion_week4_pct", std::to_string(100 * flexion));
  RecordProperty("knee_flexion_architecture_only_pct",
                 std::to_string(100 * flexion_architecture));
  RecordProperty("knee_flexion_neural_only_pct", std::to_string(100 * flexion_neural));
  RecordProperty("bflh_fascicle_week4_pct", std::to_string(100 * fascicle));
  RecordProperty("straight_leg_raise_week4_deg", std::to_string(raise));
}

// Andrews et al. 2025 (J Sport Health Sci 14:100996, abstract; protocol and test from a secondary
// summary, the Reading Rehab podcast's episode 80): 9 weeks of Nordic training three times a
// week, 4 x 6 building to 5 x 8 (the 5 x 6 of weeks 4-6 chosen between them): the Nordic force
// +40 %, the hamstrings' volume +8 % by MRI. Its fascicle gain sets the fascicles' G; the strength
// and volume figures are compared here.
TEST(TrainingValidation, NordicNineWeeksAndrews2025) {
  const ProgrammeResult r = run(
      "weeks: 9\nexercises:\n"
      "  - {name: nordic_hamstring, sets: 4, reps: 6, sessions_per_week: 3, to_week: 3}\n"
      "  - {name: nordic_hamstring, sets: 5, reps: 6, sessions_per_week: 3, from_week: 4, "
      "to_week: 6}\n"
      "  - {name: nordic_hamstring, sets: 5, reps: 8, sessions_per_week: 3, from_week: 7}\n");
  const double nordic = r.weeks.back().tests.nordic_force_n[0].value /
                            r.weeks.front().tests.nordic_force_n[0].value -
                        1.0;
  const int bflh = muscle_index("biceps_femoris_long");
  const double volume = r.weeks.back().state.volume[0][bflh] - 1.0;
  // Chosen bounds: within half the published gains either way.
  EXPECT_GT(nordic, 0.20);
  EXPECT_LT(nordic, 0.60);
  EXPECT_GT(volume, 0.04);
  EXPECT_LT(volume, 0.12);
  RecordProperty("nordic_force_week9_pct", std::to_string(100 * nordic));
  RecordProperty("bflh_volume_week9_pct", std::to_string(100 * volume));
}

// Bandy & Irion 1994 (Phys Ther 74:845), Bandy et al. 1997 (Phys Ther 77:1090): static hamstring
// stretching 5 days a week for 6 weeks; 30 s holds gained as much as 60 s and more than 15 s.
// Gribble et al. 1999 (J Sport Rehabil 8:195): the gains level off by weeks 4-5.
TEST(TrainingValidation, StaticStretchingDoseBandyAndGribble) {
  const auto gain = [](double hold) {
    const ProgrammeResult r = run("weeks: 6\nexercises:\n  - {name: seated_hamstring_stretch, "
                                  "sessions_per_week: 5, hold_s: " + std::to_string(hold) + "}\n");
    std::vector<double> slr;
    for (const auto& w : r.weeks) slr.push_back(w.tests.straight_leg_raise_deg[0].value);
    return slr;
  };
  const auto g15 = gain(15), g30 = gain(30), g60 = gain(60);
  const double d15 = g15[6] - g15[0], d30 = g30[6] - g30[0], d60 = g60[6] - g60[0];
  EXPECT_GT(d30, d15 + 1.0);
  EXPECT_NEAR(d30, d60, 0.15 * d60);
  // Levelling off: weeks 5-6 add less than half of what weeks 1-2 added.
  EXPECT_LT(g30[6] - g30[4], 0.5 * (g30[2] - g30[0]));
  RecordProperty("slr_gain_15_30_60_deg",
                 std::to_string(d15) + " " + std::to_string(d30) + " " + std::to_string(d60));
}

// Rancour, Holmes & Cipriani 2009 (J Strength Cond Res 23:2217, abstract): daily hamstring
// stretching for 4 weeks raised the hip's range 71.4 -> 90.6 deg; 4 weeks after the last session
// it was 83.9 deg, 65 % of the gain kept. The model keeps less (its time constant comes from
// Willy et al. 2001, whose group kept 22 %): a documented miss, pinned so that a change of the
// decay shows here.
TEST(TrainingValidation, StretchGainKeptAfterStoppingRancour2009) {
  const ProgrammeResult r = run(
      "weeks: 8\nexercises:\n"
      "  - {name: seated_hamstring_stretch, hold_s: 30, sessions_per_week: 7, to_week: 4}\n");
  const auto raise = [&](int week) { return r.weeks[week].tests.straight_leg_raise_deg[0].value; };
  const double gained = raise(4) - raise(0), kept = raise(8) - raise(0);
  constexpr double kPublishedGainDeg = 90.6 - 71.4;
  constexpr double kPublishedShareKept = (83.9 - 71.4) / kPublishedGainDeg;
  // The misses, both documented: the gain is 0.61 of theirs (bounds chosen at 0.5-0.75; G is set
  // on the +12.0 deg pooled over trials, docs/training.md), and the share kept is below theirs by
  // more than 0.2 (chosen: about a third of the 65 %, far beyond the means' rounding).
  EXPECT_GT(gained, 0.5 * kPublishedGainDeg);
  EXPECT_LT(gained, 0.75 * kPublishedGainDeg);
  EXPECT_GT(kept, 0.0);
  EXPECT_LT(kept / gained, kPublishedShareKept - 0.2);
  RecordProperty("slr_gain_week4_deg", std::to_string(gained));
  RecordProperty("slr_kept_week8_pct", std::to_string(100 * kept / gained));
}

// Bourne et al. 2017 (Br J Sports Med 51:469, abstract): 10 weeks of 45 deg hip-extension
// training lengthened the biceps femoris long head's fascicles as much as Nordic training did and
// grew its volume more. The model's hip-dominant exercises leave the hamstrings below the
// activation that trains and give the load to the gluteus maximus: a documented miss
// (docs/validation.md, "Training over weeks"), pinned so that a change of the hamstrings'
// operating lengths or of the sharing shows here.
TEST(TrainingValidation, HipExtensionTrainingAgainstTheNordicBourne2017) {
  const int bflh = muscle_index("biceps_femoris_long"), gmax = muscle_index("gluteus_maximus");
  const auto fascicle_change = [&](const char* exercise, int m) {
    const ProgrammeResult r =
        run(std::string("weeks: 10\nexercises:\n  - {name: ") + exercise + "}\n");
    return r.weeks.back().state.fascicle_length[0][m] - 1.0;
  };
  const double nordic = fascicle_change("nordic_hamstring", bflh);
  EXPECT_GT(nordic, 0.15);
  for (const char* hinge : {"stiff_leg_deadlift", "romanian_deadlift", "single_leg_deadlift"}) {
    // The miss: published, as long as the Nordic's; the model, none.
    EXPECT_LT(fascicle_change(hinge, bflh), 0.1 * nordic) << hinge;
    EXPECT_GT(fascicle_change(hinge, gmax), 0.05) << hinge;  // the gluteus maximus takes the load
  }
  RecordProperty("bflh_fascicle_nordic_10wk_pct", std::to_string(100 * nordic));
  RecordProperty("bflh_fascicle_stiff_leg_deadlift_10wk_pct",
                 std::to_string(100 * fascicle_change("stiff_leg_deadlift", bflh)));
}

// Borges et al. 2018 (Eur J Physiother, meta-analysis of 12 trials): contract-relax (PNF) and
// static hamstring stretching over weeks gain alike in the straight-leg raise, difference -2.56
// deg (95 % CI -7.43 to 2.32; the copy read lost its minus signs, docs/validation.md).
// The right straight-leg raise's gain over `weeks` weeks of one programme entry (deg).
double slr_gain(int weeks, const std::string& entry) {
  const ProgrammeResult r =
      run("weeks: " + std::to_string(weeks) + "\nexercises:\n  - " + entry + "\n");
  return r.weeks.back().tests.straight_leg_raise_deg[0].value -
         r.weeks.front().tests.straight_leg_raise_deg[0].value;
}

TEST(TrainingValidation, ContractRelaxGainsAsStaticStretchingBorges2018) {
  const double pnf = slr_gain(6, "{name: contract_relax_hamstring_stretch, sessions_per_week: 5}");
  const double stat =
      slr_gain(6, "{name: seated_hamstring_stretch, hold_s: 30, sessions_per_week: 5}");
  EXPECT_GT(pnf, 0.0);
  EXPECT_GT(stat - pnf, -7.43);  // within the pooled confidence interval either way
  EXPECT_LT(stat - pnf, 7.43);
  RecordProperty("slr_gain_pnf_deg", std::to_string(pnf));
  RecordProperty("slr_gain_static_deg", std::to_string(stat));
}

// Junker & Stoggl 2015 (J Strength Cond Res 29:3480): foam rolling and contract-relax stretching
// of the hamstrings, 3 times a week for 4 weeks, both gained flexibility over control and did not
// differ.
TEST(TrainingValidation, FoamRollingGainsAsContractRelaxJunker2015) {
  const double roll = slr_gain(4, "{name: foam_rolling, target: hamstrings, sessions_per_week: 3}");
  const double pnf = slr_gain(4, "{name: contract_relax_hamstring_stretch, sessions_per_week: 3}");
  EXPECT_GT(roll, 0.0);
  EXPECT_GT(pnf, 0.0);
  EXPECT_LT(std::abs(roll - pnf), 7.0);  // no detectable difference (the raise's SDC, 6-7 deg)
  RecordProperty("slr_gain_foam_rolling_deg", std::to_string(roll));
  RecordProperty("slr_gain_contract_relax_deg", std::to_string(pnf));
}

// Johnson, Mitchell, Meek & Feland 2014 (Phys Ther Sport 15:101, abstract): 34 adults of 18-25
// with tight hamstrings (more than 30 deg short of full knee extension with the hip at 90 deg)
// stretched 90 s a day, as 3 x 30 s or 9 x 10 s, 6 days a week for 6 weeks: knee extension range
// +11.6 +- 5.25 to +13.4 +- 5.36 deg, the two groups alike. The gain is the check; that the two
// doses gain alike is where the model's rule comes from (a session's time in the stretch,
// docs/training.md), so it is checked as that rule, not as a validation. The subject's
// tightness is chosen: hamstring stiffness 2, a deficit of 41 deg.
TEST(TrainingValidation, NinetySecondsOfStretchingADayJohnson2014) {
  const model::Subject tight = io::parse_subject_yaml(
      "height_m: 1.75\nmass_kg: 75\nmuscles:\n  hamstrings: {stiffness: 2}\n", "tight.yaml");
  const auto deficits = [&](const std::string& dose) {
    const ProgrammeResult r = run("weeks: 6\nexercises:\n  - {name: seated_hamstring_stretch, " +
                                      dose + ", sessions_per_week: 6}\n",
                                  default_adaptation_model(), tight);
    return std::array<double, 2>{r.weeks.front().tests.active_knee_extension_deficit_deg[0].value,
                                 r.weeks.back().tests.active_knee_extension_deficit_deg[0].value};
  };
  const auto [before, after_thirties] = deficits("sets: 3, hold_s: 30");
  const double thirties = before - after_thirties;
  const double tens = before - deficits("sets: 9, hold_s: 10")[1];
  EXPECT_GT(before, 30.0);  // tight by the study's criterion
  for (const double gain : {thirties, tens}) {
    EXPECT_GT(gain, 11.6 - 5.25);  // within a spread of the published groups' means
    EXPECT_LT(gain, 13.4 + 5.36);
  }
  EXPECT_LT(std::abs(thirties - tens), 13.4 - 11.6);  // the rule: alike, as the groups were
  RecordProperty("knee_gain_3x30_deg", std::to_string(thirties));
  RecordProperty("knee_gain_9x10_deg", std::to_string(tens));
}

}  // namespace
}  // namespace pulley::training
