// The exercise library, programme files and the adaptation model (docs/training.md).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "pulley/assess/clinical_tests.hpp"
#include "pulley/assess/findings.hpp"
#include "pulley/core/error.hpp"
#include "pulley/io/demo_subjects.hpp"
#include "pulley/io/programme_yaml.hpp"
#include "pulley/io/subject_yaml.hpp"
#include "pulley/model/model.hpp"
#include "pulley/training/adaptation.hpp"
#include "pulley/training/exercise.hpp"
#include "pulley/training/programme.hpp"

namespace pulley::training {
namespace {

TEST(ExerciseLibrary, HoldsEveryExerciseTheIssueNames) {
  for (const char* id :
       {"hamstring_curl", "romanian_deadlift", "stiff_leg_deadlift", "single_leg_deadlift",
        "bridge", "nordic_hamstring", "seated_hamstring_stretch", "standing_forward_bend_stretch",
        "lying_band_hamstring_stretch", "contract_relax_hamstring_stretch", "quadriceps_stretch",
        "hip_flexor_stretch", "hip_flexor_strengthening", "quadriceps_strengthening",
        "foam_rolling", "rest_and_ice"}) {
    const Exercise* e = find_exercise(id);
    ASSERT_NE(e, nullptr) << id;
    EXPECT_FALSE(e->description.empty()) << id;
    EXPECT_TRUE(e->dose.sessions_per_week.has_value()) << id;
  }
  EXPECT_EQ(find_exercise("nordic"), nullptr);
}

Programme parse(const std::string& text) { return io::parse_programme_yaml(text, "p.yaml"); }

std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(ProgrammeFile, ReadsEntriesAndDefaults) {
  const Programme p = parse(
      "weeks: 8\nmissed_weeks: [4]\nexercises:\n"
      "  - {name: nordic_hamstring, sets: 3, reps: 6, sessions_per_week: 2, to_week: 6}\n"
      "  - {name: foam_rolling, target: quadriceps, side: left}\n"
      "  - name: hamstring_curl\n    load_kg: 5\n    progression: {load_kg_per_week: 1}\n");
  ASSERT_EQ(p.entries.size(), 3u);
  EXPECT_EQ(p.weeks, 8);
  EXPECT_EQ(p.missed_weeks, std::vector<int>{4});
  EXPECT_EQ(p.entries[0].to_week, 6);
  EXPECT_EQ(*p.entries[0].dose.reps, 6);
  EXPECT_EQ(p.entries[1].target, "quadriceps");
  EXPECT_FALSE(p.entries[1].sides[0]);
  EXPECT_TRUE(p.entries[1].sides[1]);
  EXPECT_DOUBLE_EQ(p.entries[2].progression.load_kg_per_week, 1.0);
}

// A dose in words (the reports' and printouts' one wording) gives every progression of every
// field, an added load beside the effort it adds to, and where a progression reaches its limit
// the week it does; the minutes a week run from the first week's to the last's.
TEST(ProgrammeFile, WordsEveryProgressionOfADose) {
  const Programme p = parse(
      "weeks: 6\nexercises:\n"
      "  - name: hamstring_curl\n    load_kg: 5\n"
      "    progression: {load_kg_per_week: 1, reps_per_week: 2}\n"
      "  - name: seated_hamstring_stretch\n    hold_s: 20\n    sessions_per_week: 5\n"
      "    progression: {hold_s_per_week: 10}\n"
      "  - name: nordic_hamstring\n    effort: 0.8\n    progression: {effort_per_week: 0.1}\n"
      "  - {name: bridge, to_week: 2, progression: {effort_per_week: 0.1}}\n"
      "  - {name: foam_rolling, target: quadriceps}\n"
      "  - {name: rest_and_ice, to_week: 1}\n");
  EXPECT_EQ(dose_text(p.entries[0], p.weeks),
            "3 x 10 (+2 reps a week), effort 0.7 plus 5 kg (+1 kg a week)");
  EXPECT_EQ(dose_text(p.entries[1], p.weeks), "1 x 20 s (+10 s a week)");
  EXPECT_EQ(dose_text(p.entries[2], p.weeks),
            "3 x 6, effort 0.8 (+0.1 a week, at most 1 from week 3)");
  EXPECT_EQ(dose_text(p.entries[3], p.weeks), "3 x 12, effort 0.4 (+0.1 a week)");
  EXPECT_EQ(dose_text(p.entries[4], p.weeks), "3 x 45 s");
  EXPECT_EQ(dose_text(p.entries[5], p.weeks), "daily");
  // Longer holds and more reps lengthen the sessions; a heavier effort does not (the session
  // times of exercise_library.cpp: 90 s between sets, 10 s between holds, a minute to set up).
  // The curl, one leg at a time: 3 x 10 reps of 4 s, 2 rests and the set-up, 6 min, twice a week;
  // in week 6, 20 reps, 8 min.
  EXPECT_EQ(minutes_text(p.entries[0], p.weeks), "12-16");
  // The stretch, both legs: 2 x (20 s + 10 s) and the set-up, 2 min, five times a week; in week 6
  // holds of 70 s, 3.7 min.
  EXPECT_EQ(minutes_text(p.entries[1], p.weeks), "10-18");
  EXPECT_EQ(minutes_text(p.entries[2], p.weeks), "10");  // 5.2 min, twice a week, every week
  EXPECT_EQ(entry_name(p.entries[4]), "foam rolling (quadriceps)");
}

TEST(ProgrammeFile, BadInputNamesTheKeyAndWhatIsAllowed) {
  const auto has = [](const std::string& message, const std::string& part) {
    return message.find(part) != std::string::npos;
  };
  const std::string base = "weeks: 6\nexercises:\n  - ";
  EXPECT_TRUE(has(error_of(base + "{name: nordic_hamstrings}"), "did you mean 'nordic_hamstring'"));
  // Counted from 0, as the subject file's signs: the first entry is exercises[0].
  EXPECT_TRUE(has(error_of(base + "{name: hamstring_curl, sets: -3}"), "exercises[0].sets"));
  EXPECT_TRUE(has(error_of(base + "{name: hamstring_curl, reps: -1}"), "allowed: 1 to 100"));
  // Nine sessions a day.
  EXPECT_TRUE(has(error_of(base + "{name: bridge, sessions_per_week: 63}"), "at most two a day"));
  EXPECT_TRUE(has(error_of("weeks: 261\nexercises:\n  - {name: bridge}"), "5 years"));
  EXPECT_TRUE(has(error_of(base + "{name: foam_rolling}"), "target"));
  EXPECT_TRUE(has(error_of(base + "{name: foam_rolling, target: hams}"), "allowed: hamstrings"));
  // A dose field the exercise's kind does not use is refused, not ignored (the bridge's load_kg,
  // rest_and_ice's sets, an empty list and the sessions' limit:
  // ErrorsFoundAfterReadingNameTheirLine).
  EXPECT_TRUE(has(error_of(base + "{name: nordic_hamstring, hold_s: 30}"), "takes no hold_s"));
  EXPECT_TRUE(has(error_of(base + "{name: hamstring_curl, hold_s: 30}"),
                  "takes no hold_s; allowed: sets, reps and effort (0.05 to 1) or load_kg"));
  EXPECT_TRUE(has(error_of(base + "{name: seated_hamstring_stretch, reps: 3}"), "takes no reps"));
  EXPECT_TRUE(has(error_of(base + "{name: foam_rolling, target: hamstrings, effort: 0.5}"),
                  "takes no effort"));
  EXPECT_TRUE(has(error_of("weeks: 6\nmissed_weeks: [2, 2]\nexercises:\n  - {name: bridge}"),
                  "week 2 is listed twice"));
  EXPECT_TRUE(has(error_of(base + "{name: bridge, from_week: 5, to_week: 3}"), "do not fit"));
  EXPECT_TRUE(has(error_of(base + "{name: bridge, hold_s: .nan}"), "not a finite number"));
  EXPECT_TRUE(has(error_of(base + "{name: bridge, colour: red}"), "unknown key"));
  EXPECT_TRUE(has(error_of(""), "empty"));
  // Four exercises of seven sessions a week each: 28 a week is the most.
  std::string crowded = "weeks: 2\nexercises:\n";
  for (int i = 0; i < 5; ++i) crowded += "  - {name: bridge, sessions_per_week: 7}\n";
  EXPECT_TRUE(has(error_of(crowded), "four a day"));
  for (const auto& text : {base + "{name: bridge, sets: 2.5}", base + "[1, 2]", std::string("[")})
    EXPECT_FALSE(error_of(text).empty()) << text;
}

// A progression the exercise does not use would change nothing without a word: refused, even at
// 0, naming its key, its line and the progression keys the exercise takes.
TEST(ProgrammeFile, RefusesAProgressionTheExerciseDoesNotUse) {
  EXPECT_EQ(error_of("weeks: 6\nexercises: [{name: seated_hamstring_stretch, progression: "
                     "{reps_per_week: 1}}]\n"),
            "p.yaml: line 2: key 'exercises[0].progression.reps_per_week': "
            "seated_hamstring_stretch takes no reps_per_week; allowed: hold_s_per_week");
  EXPECT_EQ(error_of("weeks: 6\nexercises:\n  - name: bridge\n  - name: rest_and_ice\n"
                     "    progression:\n      hold_s_per_week: 0\n"),
            "p.yaml: line 6: key 'exercises[1].progression.hold_s_per_week': rest_and_ice takes "
            "no hold_s_per_week; allowed: no progression");
  // A load needs a load point; the first refused key in the file is named.
  EXPECT_EQ(error_of("weeks: 6\nexercises:\n  - name: bridge\n    progression:\n"
                     "      load_kg_per_week: 1\n      hold_s_per_week: 2\n"),
            "p.yaml: line 5: key 'exercises[0].progression.load_kg_per_week': bridge takes no "
            "load_kg_per_week; allowed: effort_per_week, reps_per_week");
  // What the exercise uses is read.
  const Programme p = parse(
      "weeks: 6\nexercises:\n  - {name: seated_hamstring_stretch, progression: {hold_s_per_week: "
      "5}}\n  - {name: hamstring_curl, progression: {load_kg_per_week: 1, reps_per_week: 1, "
      "effort_per_week: 0}}\n");
  EXPECT_DOUBLE_EQ(p.entries[0].progression.hold_s_per_week, 5.0);
  EXPECT_EQ(p.entries[1].progression.reps_per_week, 1);
  // A programme built in code is held to the same (check_programme, by the values).
  Programme built = p;
  built.entries[0].progression.reps_per_week = 2;
  try {
    check_programme(built);
    ADD_FAILURE() << "a stretch's reps_per_week was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "programme: key 'exercises[0].progression.reps_per_week': seated_hamstring_stretch "
              "takes no reps_per_week; allowed: hold_s_per_week");
  }
}

// What can only be checked with the whole entry or programme read names the line of the key at
// fault, or of the entry when that key is not in the file.
TEST(ProgrammeFile, ErrorsFoundAfterReadingNameTheirLine) {
  const std::string head = "weeks: 4\nexercises:\n  - name: bridge\n";  // lines 1-3
  EXPECT_EQ(error_of(head + "  - name: seated_hamstring_stretch\n    sets: 1\n    reps: 3\n"),
            "p.yaml: line 6: key 'exercises[1].reps': seated_hamstring_stretch takes no reps; "
            "allowed: sets and hold_s");
  EXPECT_EQ(error_of(head + "  - name: hamstring_curl\n    from_week: 2\n    to_week: 6\n"),
            "p.yaml: line 6: key 'exercises[1].to_week': hamstring_curl runs weeks 2 to 6, which "
            "do not fit; allowed: 1 <= from_week <= to_week <= weeks (4)");
  EXPECT_EQ(error_of(head + "  - name: hamstring_curl\n    from_week: 5\n"),
            "p.yaml: line 5: key 'exercises[1].from_week': hamstring_curl runs weeks 5 to 4, "
            "which do not fit; allowed: 1 <= from_week <= to_week <= weeks (4)");
  EXPECT_EQ(error_of(head + "  - name: nordic_hamstring\n    sets: 2\n    foot: in\n"),
            "p.yaml: line 6: key 'exercises[1].foot': nordic_hamstring takes no foot position; "
            "allowed: no foot key (only contract_relax_hamstring_stretch takes one)");
  EXPECT_EQ(error_of(head + "  - name: seated_hamstring_stretch\n    load_kg: 3\n"),
            "p.yaml: line 5: key 'exercises[1].load_kg': seated_hamstring_stretch takes no "
            "load_kg; allowed: sets and hold_s");
  EXPECT_EQ(error_of(head + "  - name: rest_and_ice\n    sets: 2\n"),
            "p.yaml: line 5: key 'exercises[1].sets': rest_and_ice takes no sets; allowed: "
            "sessions_per_week only");
  EXPECT_EQ(error_of(head + "  - name: bridge\n    load_kg: 3\n"),
            "p.yaml: line 5: key 'exercises[1].load_kg': bridge takes no load_kg; allowed: sets, "
            "reps and effort (0.05 to 1)");
  EXPECT_EQ(error_of(head + "  - name: bridge\n    target: hamstrings\n"),
            "p.yaml: line 5: key 'exercises[1].target': bridge takes no target; allowed: no "
            "target key (only foam_rolling takes one)");
  // A missing target: the key is named as missing, with the groups allowed, at the entry's line.
  EXPECT_EQ(error_of(head + "  - name: foam_rolling\n    side: left\n"),
            "p.yaml: line 4: key 'exercises[1].target': missing required key: foam_rolling needs "
            "the muscle group it works on; allowed: hamstrings, quadriceps, hip_flexors, "
            "gluteals, adductors, erector_spinae, abdominals, calves");
  // More than 28 sessions a week: the entry that takes the busiest week past the limit.
  EXPECT_EQ(error_of("weeks: 2\nexercises:\n"
                     "  - {name: bridge, sessions_per_week: 14}\n"
                     "  - {name: hamstring_curl, sessions_per_week: 7, to_week: 1}\n"
                     "  - {name: seated_hamstring_stretch, sessions_per_week: 7}\n"
                     "  - name: nordic_hamstring\n"),
            "p.yaml: line 6: key 'exercises[3].sessions_per_week': week 1 holds 30 sessions of "
            "all exercises together; this entry's 2 take it past the limit; allowed: at most 28 a "
            "week (four a day)");
  EXPECT_EQ(error_of("weeks: 4\nexercises: []\n"),
            "p.yaml: line 2: key 'exercises': the list is empty; allowed: at least one exercise");
  EXPECT_EQ(error_of("weeks: 4\nmissed_weeks: [2,\n  5]\nexercises:\n  - name: bridge\n"),
            "p.yaml: line 3: key 'missed_weeks': week 5 is after the last week; allowed: 1 to 4");
}

class Stimulus : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { model_ = new model::Model(model::compile_model(model::Subject{})); }
  static void TearDownTestSuite() { delete model_; }
  static model::Model* model_;
};
model::Model* Stimulus::model_ = nullptr;

TEST_F(Stimulus, TheNordicWorksTheHamstringsEccentricallyAndTheBridgeTheGluteus) {
  const SessionStimulus nordic = session_stimulus(*model_, *find_exercise("nordic_hamstring"), {}, "");
  const int bflh = muscle_index("biceps_femoris_long"), vasti = muscle_index("vasti"),
            gmax = muscle_index("gluteus_maximus");
  EXPECT_GT(nordic.activation[0][bflh], 0.9);
  EXPECT_GT(nordic.fascicle[0][bflh], 0.5);
  EXPECT_EQ(nordic.strength[0][vasti], 0.0);  // the knee extensors do not work in the Nordic
  EXPECT_DOUBLE_EQ(nordic.fascicle[0][bflh], nordic.fascicle[1][bflh]);  // symmetric subject
  const SessionStimulus bridge = session_stimulus(*model_, *find_exercise("bridge"), {}, "");
  EXPECT_GT(bridge.activation[0][gmax], bridge.activation[0][bflh]);
  // A heavier curl is a larger effort.
  Dose light, heavy;
  light.load_kg = 2.0;
  heavy.load_kg = 10.0;
  const Exercise& curl = *find_exercise("hamstring_curl");
  EXPECT_GT(session_stimulus(*model_, curl, heavy, "").effort,
            session_stimulus(*model_, curl, light, "").effort);
  // One side only.
  const SessionStimulus right = session_stimulus(*model_, curl, {}, "", {true, false});
  EXPECT_GT(right.strength[0][bflh], 0.0);
  EXPECT_EQ(right.strength[1][bflh], 0.0);
}

// On a model whose sides are alike a session on both legs simulates the right and gives the left
// the same stimulus: what the left leg alone is found to get, to 1e-9.
TEST_F(Stimulus, BothSidesOfASymmetricSubjectGetWhatEachSideAloneGets) {
  ASSERT_TRUE(model::sides_alike(*model_));
  for (const char* id : {"nordic_hamstring", "single_leg_deadlift", "seated_hamstring_stretch",
                         "contract_relax_hamstring_stretch", "quadriceps_stretch"}) {
    const Exercise& exercise = *find_exercise(id);
    const SessionStimulus both = session_stimulus(*model_, exercise, {}, "", {true, true}, "out");
    const SessionStimulus left = session_stimulus(*model_, exercise, {}, "", {false, true}, "out");
    const SessionStimulus right = session_stimulus(*model_, exercise, {}, "", {true, false}, "out");
    double largest = 0.0;
    for (int m = 0; m < kNumMuscles; ++m) {
      SCOPED_TRACE(std::string(id) + " " + std::string(model::kMuscleNames[m].name));
      for (const auto per_side : {&SessionStimulus::strength, &SessionStimulus::fascicle,
                                  &SessionStimulus::stiffness, &SessionStimulus::activation,
                                  &SessionStimulus::passive_tension}) {
        EXPECT_NEAR((both.*per_side)[1][m], (left.*per_side)[1][m], 1e-9);
        EXPECT_EQ((both.*per_side)[0][m], (right.*per_side)[0][m]);
        largest = std::max(largest, (both.*per_side)[1][m]);
      }
    }
    EXPECT_GT(largest, 0.1) << id;  // the session works or stretches something
    EXPECT_EQ(both.tolerance_raise_deg[1].has_value(), left.tolerance_raise_deg[1].has_value());
    if (left.tolerance_raise_deg[1])
      EXPECT_NEAR(*both.tolerance_raise_deg[1], *left.tolerance_raise_deg[1], 1e-6) << id;
  }
}

TEST_F(Stimulus, AStretchTensionsTheStretchedGroupAndLongerHoldsExposeMore) {
  const Exercise& stretch = *find_exercise("seated_hamstring_stretch");
  Dose d15, d30, d60;
  d15.hold_s = 15.0;
  d30.hold_s = 30.0;
  d60.hold_s = 60.0;
  const auto s15 = session_stimulus(*model_, stretch, d15, "");
  const auto s30 = session_stimulus(*model_, stretch, d30, "");
  const auto s60 = session_stimulus(*model_, stretch, d60, "");
  EXPECT_LT(s15.tolerance, s30.tolerance);
  EXPECT_LT(s30.tolerance, s60.tolerance);
  EXPECT_LT(s60.tolerance - s30.tolerance, s30.tolerance - s15.tolerance);  // saturating
  EXPECT_GT(s30.passive_tension[0][muscle_index("semimembranosus")], 0.0);
  EXPECT_EQ(s30.stiffness[0][muscle_index("vasti")], 0.0);
  const auto quads = session_stimulus(*model_, *find_exercise("quadriceps_stretch"), {}, "");
  EXPECT_GT(quads.stiffness[0][muscle_index("rectus_femoris")], 0.0);
  EXPECT_EQ(quads.tolerance, 0.0);
}

TEST_F(Stimulus, AStretchToleranceHintChangesNoStimulus) {
  // A stretch held at the person's tolerance reports the raise it held; a search started there,
  // short of it or beyond it finds the same raise and the same stimulus.
  const Exercise& stretch = *find_exercise("seated_hamstring_stretch");
  ASSERT_TRUE(stretch.task.hip_to_tolerance);
  const SessionStimulus cold = session_stimulus(*model_, stretch, {}, "");
  ASSERT_TRUE(cold.tolerance_raise_deg[0]);
  const double raise = *cold.tolerance_raise_deg[0];
  ASSERT_GT(raise, 30.0);
  EXPECT_EQ(cold.tolerance_raise_deg[1], raise);  // the typical subject is symmetric
  const int sm = muscle_index("semimembranosus");
  for (const double near : {10.0, raise, 140.0}) {
    const SessionStimulus warm =
        session_stimulus(*model_, stretch, {}, "", {true, true}, "neutral", {near, near});
    ASSERT_TRUE(warm.tolerance_raise_deg[0]);
    EXPECT_NEAR(*warm.tolerance_raise_deg[0], raise, 1e-6) << near;
    EXPECT_NEAR(warm.passive_tension[0][sm], cold.passive_tension[0][sm], 1e-9) << near;
  }
  // A stretch at a set posture holds no raise.
  const auto quads = session_stimulus(*model_, *find_exercise("quadriceps_stretch"), {}, "");
  EXPECT_FALSE(quads.tolerance_raise_deg[0]);
}

TEST(Adaptation, RisesTowardsItsTargetAndFallsBackWithoutTraining) {
  SessionStimulus s;
  const int bflh = muscle_index("biceps_femoris_long");
  s.strength[0][bflh] = 1.0;
  s.fascicle[0][bflh] = 1.0;
  TrainingDay session{{s}}, rest;
  AdaptationState state;
  std::vector<const TrainingDay*> week = {&session, &rest, &rest, &session, &rest, &rest, &rest};
  double last = 1.0;
  for (int d = 0; d < 42; ++d) {
    std::rotate(week.begin(), week.begin() + 1, week.end());
    advance_day(state, week);
    EXPECT_GE(state.fascicle_length[0][bflh], last - 1e-12);
    last = state.fascicle_length[0][bflh];
  }
  const auto& am = default_adaptation_model();
  EXPECT_GT(last, 1.0 + 0.8 * am.fascicle_length.gain);
  EXPECT_LT(last, 1.0 + am.fascicle_length.gain);
  EXPECT_DOUBLE_EQ(state.fascicle_length[1][bflh], 1.0);  // the left side was not trained
  const double trained_neural = state.neural[0][bflh], trained_volume = state.volume[0][bflh];
  const std::vector<const TrainingDay*> none(7, &rest);
  for (int d = 0; d < 14; ++d) advance_day(state, none);
  EXPECT_LT(state.fascicle_length[0][bflh], last);
  EXPECT_GT(state.fascicle_length[0][bflh], 1.0);
  // Two weeks without: the fascicles keep the least of their gain (tau 7.4 days), the neural
  // drive more (63 days), the volume the most (90.8 days).
  const auto kept = [](double now, double trained) { return (now - 1.0) / (trained - 1.0); };
  const double fascicles_kept = kept(state.fascicle_length[0][bflh], last);
  const double neural_kept = kept(state.neural[0][bflh], trained_neural);
  const double volume_kept = kept(state.volume[0][bflh], trained_volume);
  EXPECT_GT(neural_kept, fascicles_kept);
  EXPECT_GT(volume_kept, neural_kept);
}

// The neural drive's gain calibrated on the model against its two source studies (docs/
// training.md, "Adaptation"), maximal quadriceps training with an isometric test: Seynnes et al.
// 2007 (4 x 7 three times a week, 35 days: +38.9 %) and Narici et al. 1989 (6 x 10 four times a
// week, 60 days: +20.8 %; isokinetic, which the library's concentric-eccentric exercise stands
// for). No G meets both; the default is their least-squares fit, so it beats G 0.03 either side
// and leaves one study above the model and the other below.
TEST(Adaptation, NeuralGainAgainstItsSourceStudiesOnTheModel) {
  const Programme seynnes = parse(
      "weeks: 5\nexercises:\n"
      "  - {name: quadriceps_strengthening, sets: 4, reps: 7, effort: 1, sessions_per_week: 3}\n");
  const Programme narici = parse(
      "weeks: 9\nexercises:\n"
      "  - {name: quadriceps_strengthening, sets: 6, reps: 10, effort: 1, sessions_per_week: 4}\n");
  const auto gain = [](const Programme& p, double neural_gain) {
    ProgrammeSettings settings;
    settings.loads_and_strain = false;
    settings.adaptation.neural.gain = neural_gain;
    const ProgrammeResult r = simulate_programme(model::Subject{}, p, settings);
    return r.weeks.back().tests.knee_extension_torque_nm_per_kg[0].value /
               r.weeks.front().tests.knee_extension_torque_nm_per_kg[0].value -
           1.0;
  };
  constexpr double kSeynnes = 0.389, kNarici = 0.208;
  const auto error = [&](double seynnes_gain, double narici_gain) {
    return std::pow(seynnes_gain - kSeynnes, 2) + std::pow(narici_gain - kNarici, 2);
  };
  const auto squared_error = [&](double g) { return error(gain(seynnes, g), gain(narici, g)); };
  const double g = default_adaptation_model().neural.gain;
  const double seynnes_gain = gain(seynnes, g), narici_gain = gain(narici, g);
  const double at_default = error(seynnes_gain, narici_gain);
  EXPECT_LT(at_default, squared_error(g - 0.03));
  EXPECT_LT(at_default, squared_error(g + 0.03));
  EXPECT_LT(seynnes_gain, kSeynnes);
  EXPECT_GT(narici_gain, kNarici);
  RecordProperty("seynnes_knee_extension_pct", std::to_string(100 * seynnes_gain));
  RecordProperty("narici_knee_extension_pct", std::to_string(100 * narici_gain));
}

// The stretch tolerance's time constant is calibrated on the model against its source study
// (Willy et al. 2001, J Orthop Sports Phys Ther 31:138): 2 x 30 s a day, 5 days a week for 6
// weeks, then 4 weeks without; 2 of the 9 deg of active knee extension gained were kept (the
// stretch's position not read: the library's seated stretch, chosen). The round trip holds at
// the default constant and fails at the 18.6 days read off the study alone (the last week's
// sessions hold the target for a few days after the last one).
TEST(Adaptation, StretchToleranceDecayAgainstItsSourceStudyOnTheModel) {
  const Programme willy = parse(
      "weeks: 10\nexercises:\n"
      "  - {name: seated_hamstring_stretch, sets: 2, hold_s: 30, sessions_per_week: 5, "
      "to_week: 6}\n");
  const auto share_kept = [&](double tau_days) {
    ProgrammeSettings settings;
    settings.loads_and_strain = false;
    settings.adaptation.stretch_tolerance.tau_rise_days = tau_days;
    settings.adaptation.stretch_tolerance.tau_decay_days = tau_days;
    const ProgrammeResult r = simulate_programme(model::Subject{}, willy, settings);
    const auto deficit = [&](int week) {
      return r.weeks[week].tests.active_knee_extension_deficit_deg[0].value;
    };
    return (deficit(0) - deficit(10)) / (deficit(0) - deficit(6));
  };
  const AdaptationConstants& c = default_adaptation_model().stretch_tolerance;
  EXPECT_EQ(c.tau_rise_days, c.tau_decay_days);
  const double at_default = share_kept(c.tau_decay_days);
  const double at_study_alone = share_kept(18.6);
  EXPECT_NEAR(at_default, 2.0 / 9.0, 0.01);
  EXPECT_GT(at_study_alone, 2.0 / 9.0 + 0.05);
  RecordProperty("willy_share_kept_default_pct", std::to_string(100 * at_default));
  RecordProperty("willy_share_kept_tau_18_6_pct", std::to_string(100 * at_study_alone));
}

// ProgrammeSettings::adaptation reaches the sessions' stimuli as well as the days' adaptation:
// with a hold exposure constant far beyond the hold, a stretch programme leaves the stretch
// tolerance as it was, where the default constants raise it.
TEST(Programme, AdaptationSettingsReachTheSessionStimuli) {
  const Programme stretch = parse(
      "weeks: 2\nexercises:\n  - {name: seated_hamstring_stretch, sessions_per_week: 5}\n");
  ProgrammeSettings settings;
  settings.loads_and_strain = false;
  const double by_default = simulate_programme(model::Subject{}, stretch, settings)
                                .weeks.back()
                                .state.stretch_tolerance;
  settings.adaptation.hold_exposure_s = 1e9;
  const double unexposed = simulate_programme(model::Subject{}, stretch, settings)
                               .weeks.back()
                               .state.stretch_tolerance;
  EXPECT_GT(by_default, 1.05);
  EXPECT_LT(unexposed - 1.0, 1e-6);
}

// The weekly tests follow the subject file's protocol (its `tests:` section), as the
// assessment's do: a Nordic lowered at 90 deg/s, where the default is 30.
TEST(Programme, WeeklyTestsFollowTheSubjectsProtocol) {
  const Programme rest = parse("weeks: 1\nexercises:\n  - {name: seated_hamstring_stretch}\n");
  ProgrammeSettings settings;
  settings.loads_and_strain = false;
  model::Subject fast;
  fast.protocol.nordic_lowering_speed_deg_s = 90.0;
  const ProgrammeResult r = simulate_programme(fast, rest, settings);
  const model::Model m = model::compile_model(fast);
  const double as_assessed =
      assess::run_clinical_tests(m, assess::clinical_test_settings(fast)).nordic_force_n[0].value;
  const double at_default = assess::run_clinical_tests(m).nordic_force_n[0].value;
  const auto& week0 = r.weeks.front().tests;
  EXPECT_EQ(week0.settings.nordic_lowering_speed_deg_s, 90.0);
  EXPECT_NEAR(week0.nordic_force_n[0].value, as_assessed, 1e-9);
  EXPECT_GT(std::abs(as_assessed - at_default), 1.0);  // the speed matters (force-velocity)
}

// Each entry's first session is kept (ProgrammeResult::entry_loads) as session_stimulus gives it
// on that week's model, in the order the entries first run, with the threshold the adaptation
// used; entries that never run (a missed week) or run again add nothing.
TEST(Programme, KeepsEachEntrysFirstSessionForReports) {
  const Programme p = parse(
      "weeks: 3\nmissed_weeks: [1]\nexercises:\n"
      "  - {name: nordic_hamstring, from_week: 3}\n"
      "  - {name: seated_hamstring_stretch, sessions_per_week: 5}\n"
      "  - {name: hamstring_curl, side: left}\n");
  ProgrammeSettings settings;
  settings.loads_and_strain = false;
  settings.adaptation.intensity_threshold = 0.25;
  const ProgrammeResult r = simulate_programme(model::Subject{}, p, settings);
  ASSERT_EQ(r.entry_loads.size(), 3u);
  EXPECT_EQ(r.entry_loads[0].entry, 1u);  // the stretch and the curl start in week 2
  EXPECT_EQ(r.entry_loads[0].week, 2);
  EXPECT_EQ(r.entry_loads[1].entry, 2u);
  EXPECT_EQ(r.entry_loads[2].entry, 0u);
  EXPECT_EQ(r.entry_loads[2].week, 3);
  EXPECT_EQ(r.entry_loads[2].training_activation, 0.25);
  const int bflh = muscle_index("biceps_femoris_long");
  const SessionStimulus& curl = r.entry_loads[1].stimulus;
  EXPECT_EQ(curl.strength[0][bflh], 0.0);  // the left leg alone
  EXPECT_GT(curl.strength[1][bflh], 0.0);
  // The Nordic of week 3 on week 3's model (after a week of the curl on the left leg).
  model::Model week2 = model::compile_model(r.weeks[2].subject);
  const SessionStimulus nordic =
      session_stimulus(week2, *find_exercise("nordic_hamstring"), {}, "", {true, true},
                       "neutral", {}, settings.adaptation);
  for (int k = 0; k < 2; ++k)
    for (int m = 0; m < kNumMuscles; ++m)
      EXPECT_NEAR(r.entry_loads[2].stimulus.activation[k][m], nordic.activation[k][m], 1e-9);
  EXPECT_EQ(described_side(p.entries[2]), 1);
  EXPECT_EQ(described_side(p.entries[0]), 0);
}

// first_session_loads finds each entry's first session as the simulation does, without its
// weeks: the same entries, weeks and stimuli to the bit, on a subject whose legs differ (both
// simulated), with entries that start late, a missed week, a progression and an entry that never
// runs (its one week missed).
TEST(Programme, FindsTheFirstSessionsAsTheSimulationDoesWithoutItsWeeks) {
  const Programme p = parse(
      "weeks: 5\nmissed_weeks: [2]\nexercises:\n"
      "  - {name: nordic_hamstring, from_week: 4, effort: 0.8, progression: {effort_per_week: "
      "0.1}}\n"
      "  - {name: contract_relax_hamstring_stretch, foot: out}\n"
      "  - {name: hamstring_curl, from_week: 2, side: left}\n"
      "  - {name: bridge, from_week: 2, to_week: 2}\n"
      "  - {name: foam_rolling, target: hamstrings, from_week: 3}\n");
  model::Subject s = io::parse_subject_yaml(
      "sex: female\nheight_m: 1.65\nmass_kg: 60\nmuscles:\n  hamstrings: {length: 0.95, left: "
      "{strength: 0.8}}\n",
      "s.yaml");
  ProgrammeSettings settings;
  settings.loads_and_strain = false;
  const ProgrammeResult r = simulate_programme(s, p, settings);
  const std::vector<EntryLoad> first = first_session_loads(s, p, settings);
  ASSERT_EQ(r.entry_loads.size(), 4u);  // not the bridge
  ASSERT_EQ(first.size(), r.entry_loads.size());
  for (std::size_t i = 0; i < first.size(); ++i) {
    const EntryLoad &a = first[i], &b = r.entry_loads[i];
    EXPECT_EQ(a.entry, b.entry);
    EXPECT_EQ(a.week, b.week);
    EXPECT_EQ(a.training_activation, b.training_activation);
    EXPECT_EQ(a.stimulus.effort, b.stimulus.effort);
    EXPECT_EQ(a.stimulus.tolerance, b.stimulus.tolerance);
    for (int k = 0; k < 2; ++k)
      for (int m = 0; m < kNumMuscles; ++m) {
        EXPECT_EQ(a.stimulus.activation[k][m], b.stimulus.activation[k][m]) << i;
        EXPECT_EQ(a.stimulus.strength[k][m], b.stimulus.strength[k][m]) << i;
        EXPECT_EQ(a.stimulus.passive_tension[k][m], b.stimulus.passive_tension[k][m]) << i;
        EXPECT_EQ(a.stimulus.stiffness[k][m], b.stimulus.stiffness[k][m]) << i;
      }
  }
  EXPECT_EQ(first.back().entry, 0u);  // the Nordic, last to start
  EXPECT_EQ(first.back().week, 4);
}

// muscle_loads lists the muscles at or above the activation given, any with passive tension or a
// stimulus, the most loaded first; describe_load tells the trained from those worked below the
// threshold.
TEST(Programme, DescribesWhatASessionAsksOfTheMuscles) {
  EntryLoad load;
  load.training_activation = 0.3;
  SessionStimulus& s = load.stimulus;
  const int sm = muscle_index("semimembranosus"), gmax = muscle_index("gluteus_maximus"),
            add = muscle_index("adductor_magnus"), vasti = muscle_index("vasti");
  s.activation[0][sm] = 0.21;
  s.activation[0][gmax] = 0.9;
  s.strength[0][gmax] = 0.7;
  s.activation[0][add] = 0.04;  // below the listed activation
  s.activation[1][vasti] = 0.5;  // the other side
  const std::vector<MuscleLoad> right = muscle_loads(s, 0, kListedActivation);
  ASSERT_EQ(right.size(), 2u);
  EXPECT_EQ(right[0].muscle, gmax);
  EXPECT_EQ(right[1].muscle, sm);
  EXPECT_EQ(muscle_loads(s, 1, kListedActivation).size(), 1u);
  EXPECT_EQ(describe_load(load, *find_exercise("romanian_deadlift"), 0),
            "trains gluteus maximus (90 %); works below the 30 % that trains: semimembranosus "
            "(21 %) (activation at the key posture)");
  EXPECT_EQ(describe_load(load, *find_exercise("romanian_deadlift"), 1),
            "trains no muscle; works below the 30 % that trains: vasti (50 %) (activation at the "
            "key posture)");
  SessionStimulus& t = load.stimulus = {};
  t.passive_tension[0][sm] = 0.004;
  t.stiffness[0][sm] = 0.9;
  t.tolerance = 0.9;
  EXPECT_EQ(describe_load(load, *find_exercise("seated_hamstring_stretch"), 0),
            "stretches semimembranosus (<1 %) (passive tension over maximal force); trains the "
            "hamstrings' stretch tolerance");
  EXPECT_EQ(describe_load(load, *find_exercise("foam_rolling"), 0),
            "releases semimembranosus (0.90) (stiffness stimulus)");
  EXPECT_EQ(describe_load(load, *find_exercise("rest_and_ice"), 0), "no load (relative rest)");
}

TEST(Adaptation, StretchingLowersStiffnessWhichComesBackWithoutIt) {
  SessionStimulus s;
  const int st = muscle_index("semitendinosus");
  s.stiffness[0][st] = 1.0;
  TrainingDay session{{s}}, rest;
  AdaptationState state;
  const std::vector<const TrainingDay*> daily(7, &session), none(7, &rest);
  for (int d = 0; d < 42; ++d) advance_day(state, daily);
  const double trained = state.stiffness[0][st];
  const auto& am = default_adaptation_model();
  // Six weeks at the full stimulus, tau 42 days: 1 - exp(-1) of the change.
  EXPECT_NEAR(trained - 1.0, am.stiffness.gain * (1.0 - std::exp(-1.0)), 1e-9);
  for (int d = 0; d < 42; ++d) advance_day(state, none);
  EXPECT_GT(state.stiffness[0][st], trained);
  EXPECT_LT(state.stiffness[0][st], 1.0);
}

TEST(Adaptation, AnInjuredMusclesCapacityRecovers) {
  AdaptationState state;
  state.capacity[0][0] = 0.3;
  TrainingDay rest;
  const std::vector<const TrainingDay*> none(7, &rest);
  for (int d = 0; d < 7; ++d) advance_day(state, none);
  EXPECT_GT(state.capacity[0][0], 0.95);
}

// A programme that works strained muscles in its first week gets one caution naming each muscle,
// its side and capacity, the week and the exercises, the most injured first, beside the notes'
// detail; and the sentence that the first weeks' changes include the muscles' recovery. A
// programme that leaves them alone has the sentence only, an uninjured subject neither.
TEST(Programme, CautionsAboutInjuredMusclesLoadedEarlyAndTheirRecovery) {
  const auto strained = io::parse_subject_yaml(
      "height_m: 1.82\nmass_kg: 78\nmuscles:\n  biceps_femoris_long_r: {capacity: 0.5}\n"
      "  semitendinosus_r: {capacity: 0.7}\n",
      "s.yaml");
  const Programme nordic = parse(
      "weeks: 2\nexercises:\n  - {name: nordic_hamstring, sets: 3, reps: 6, sessions_per_week: 2}\n"
      "  - {name: seated_hamstring_stretch}\n");
  ProgrammeSettings settings;
  settings.loads_and_strain = false;
  const ProgrammeResult r = simulate_programme(strained, nordic, settings);
  ASSERT_FALSE(r.injured_loads.empty());
  EXPECT_EQ(r.injured_loads.size(), 2u);  // week 1 only: by week 2 both have recovered past 0.9
  EXPECT_EQ(r.notes.size(), r.injured_loads.size());
  const std::string caution = injured_load_caution(r);
  EXPECT_EQ(caution,
            "Caution: this programme loads injured muscles before they have recovered: the right "
            "biceps femoris long head (capacity 0.50) and the right semitendinosus (capacity 0.70) "
            "in week 1, by the Nordic hamstring exercise (capacity 1 is an uninjured muscle; the "
            "notes give each load).");
  EXPECT_EQ(caution.find('\n'), std::string::npos);
  const std::string recovery = capacity_recovery_note(r);
  EXPECT_NE(recovery.find("include the injured muscles' recovery of capacity (from 0.50 at week "
                          "0, with a time constant of 2.3 days), which the model adds whatever "
                          "the programme"),
            std::string::npos)
      << recovery;

  const Programme stretch = parse("weeks: 1\nexercises:\n  - {name: seated_hamstring_stretch}\n");
  const ProgrammeResult alone = simulate_programme(strained, stretch, settings);
  EXPECT_TRUE(alone.injured_loads.empty());
  EXPECT_EQ(injured_load_caution(alone), "");
  EXPECT_EQ(capacity_recovery_note(alone), recovery);
  // The recovery alone raises the Nordic force in the first week.
  EXPECT_GT(alone.weeks[1].tests.nordic_force_n[0].value,
            alone.weeks[0].tests.nordic_force_n[0].value + 20.0);
  // The note gives the run's time constant.
  ProgrammeSettings slower = settings;
  slower.adaptation.capacity_recovery_days = 5.0;
  EXPECT_NE(capacity_recovery_note(simulate_programme(strained, stretch, slower))
                .find("with a time constant of 5 days"),
            std::string::npos);

  const ProgrammeResult healthy = simulate_programme(model::Subject{}, nordic, settings);
  EXPECT_EQ(injured_load_caution(healthy), "");
  EXPECT_EQ(capacity_recovery_note(healthy), "");
}

TEST(Programme, WeeksFromTheLastMatchWeeksFromScratch) {
  // The trunk hold is carried while its inputs stay (weeks 1-4) and held again as they move (from
  // week 5 the hip flexor exercise strengthens the psoas, which crosses the lumbar spine); every
  // other test as tested from scratch, to the searches' tolerances.
  const io::DemoSubject* s4 = io::find_demo_subject("s4");
  ASSERT_NE(s4, nullptr);
  const model::Subject subject = io::parse_subject_yaml(s4->yaml, "s4.yaml");
  const Programme p = parse(
      "weeks: 8\nexercises:\n  - {name: nordic_hamstring, sessions_per_week: 2}\n"
      "  - {name: seated_hamstring_stretch, sessions_per_week: 5}\n"
      "  - {name: quadriceps_strengthening, sessions_per_week: 2}\n"
      "  - {name: hip_flexor_strengthening, effort: 1, sessions_per_week: 2, from_week: 5}\n");
  ProgrammeSettings incremental, scratch;
  incremental.loads_and_strain = scratch.loads_and_strain = false;
  scratch.incremental = false;
  const ProgrammeResult a = simulate_programme(subject, p, incremental);
  const ProgrammeResult b = simulate_programme(subject, p, scratch);
  ASSERT_EQ(a.weeks.size(), b.weeks.size());
  // Both of the hold's paths are taken: held again in some week, carried in another; a carried
  // time is the week before's, and weeks from scratch carry nothing.
  int held_again = 0, carried = 0;
  for (std::size_t w = 1; w < a.weeks.size(); ++w) {
    (a.weeks[w].trunk_hold_carried ? carried : held_again)++;
    if (a.weeks[w].trunk_hold_carried)
      EXPECT_EQ(a.weeks[w].tests.trunk_extensor_endurance_s.value,
                a.weeks[w - 1].tests.trunk_extensor_endurance_s.value)
          << "week " << w;
    EXPECT_FALSE(b.weeks[w].trunk_hold_carried) << "week " << w;
  }
  EXPECT_FALSE(a.weeks[0].trunk_hold_carried);
  EXPECT_GT(held_again, 0);
  EXPECT_GT(carried, 0);
  using model::MeasuredTest;
  for (std::size_t w = 0; w < a.weeks.size(); ++w) {
    SCOPED_TRACE("week " + std::to_string(w));
    for (int m = 0; m < model::kNumMeasuredTests; ++m) {
      const auto test = static_cast<MeasuredTest>(m);
      for (model::Side side : model::kSides) {
        const double x = assess::test_value(a.weeks[w].tests, test, side);
        const double y = assess::test_value(b.weeks[w].tests, test, side);
        // The hold's time within 2 s: the carry's tolerance, 0.5 deg of standing's pelvis at
        // about 4 s per deg (programme.cpp, kTrunkHoldShapeToleranceDeg). The rest to the
        // searches' tolerances, as NearbyResultsChangeNoResult bounds them (chosen: far below
        // what is reported): angles and torques 1e-3, the Nordic force 0.01 N.
        const double tolerance = test == MeasuredTest::trunk_extensor_endurance_s ? 2.0
                                 : test == MeasuredTest::nordic_force_n           ? 0.01
                                                                                  : 1e-3;
        // The weekly tests leave the concentric test out (isokinetic_test off): not computed in
        // either run.
        if (std::isnan(x) || std::isnan(y)) {
          EXPECT_TRUE(std::isnan(x) && std::isnan(y)) << model::to_string(test);
          continue;
        }
        EXPECT_NEAR(x, y, tolerance) << model::to_string(test);
      }
    }
  }
}

// A calibrated subject's weeks simulate the bend, the run and the loads on the subject its
// assessment simulates them on (assess::Findings::loads_model), adapted as the tested subject:
// week 0's are that subject's own, the tests stay the tested subject's, and training moves both.
TEST(Programme, SimulatesTheLoadsOnTheLoadsSubjectAdaptedAsTheTestedOne) {
  model::Subject tested;  // hamstrings fitted weaker than the subject the loads are simulated on
  model::MuscleAdjustment weaker;
  weaker.target = "hamstrings";
  weaker.is_group = true;
  weaker.both.strength = 0.7;
  tested.muscles.push_back(weaker);
  const model::Subject typical;
  const Programme p = parse(
      "weeks: 2\nexercises:\n  - {name: nordic_hamstring, sets: 3, reps: 6, "
      "sessions_per_week: 2}\n");
  const ProgrammeResult own = simulate_programme(tested, p, {}, &typical);
  const ProgrammeResult tested_only = simulate_programme(tested, p);
  const ProgrammeResult typical_only = simulate_programme(typical, p);
  EXPECT_TRUE(own.loads_on_own_subject);
  EXPECT_FALSE(tested_only.loads_on_own_subject);
  ASSERT_EQ(own.weeks.size(), 3u);
  for (const WeekResult& w : own.weeks) ASSERT_TRUE(w.loads && w.tests.ok) << "week " << w.week;
  for (std::size_t w = 0; w < own.weeks.size(); ++w) {
    SCOPED_TRACE("week " + std::to_string(w));
    EXPECT_EQ(own.weeks[w].tests.knee_flexion_torque_nm_per_kg[0].value,
              tested_only.weeks[w].tests.knee_flexion_torque_nm_per_kg[0].value);
    EXPECT_EQ(own.weeks[w].tests.nordic_force_n[0].value,
              tested_only.weeks[w].tests.nordic_force_n[0].value);
  }
  // Week 0: the loads subject's bend and strain index, not the tested subject's.
  const WeekResult &first = own.weeks.front(), &typical_first = typical_only.weeks.front();
  EXPECT_NEAR(first.strain.relative, typical_first.strain.relative, 1e-9);
  EXPECT_NEAR(first.loads->bend_peak_pelvis_rotation_deg,
              typical_first.loads->bend_peak_pelvis_rotation_deg, 1e-9);
  EXPECT_NEAR(first.loads->lumbar[4].bend_peak_compression_n,
              typical_first.loads->lumbar[4].bend_peak_compression_n, 1e-6);
  // chosen: 0.1, the strength tests' 10 % of the typical 1.
  EXPECT_GT(tested_only.weeks.front().strain.relative, first.strain.relative + 0.1);
  // The Nordic's gains reach the loads subject: its strain index falls as the tested one's does
  // (chosen: by 0.01 at least, above the searches' noise, within two weeks' gains of a few %).
  EXPECT_LT(own.weeks.back().strain.relative, first.strain.relative - 0.01);
  EXPECT_LT(tested_only.weeks.back().strain.relative,
            tested_only.weeks.front().strain.relative - 0.01);
}

TEST(Programme, AStretchedLegRisesWeekByWeekWithoutAJump) {
  // Nordic with a hamstring stretch, the library's fastest gain in the raise: each week adds a
  // few degrees. Before the hamstrings turned over the ischium the typical man's raise passed the
  // peak of the model's passive hip moment (near 100 deg) in week 3 and ran on from 93 to 145 deg
  // (docs/validation.md, Training). Bound, chosen: 15 deg, above the largest weekly gain now
  // (3.1; 12.5 before the passive strains followed the added sarcomeres) and far below that jump.
  ProgrammeSettings tests_only;
  tests_only.loads_and_strain = false;
  const ProgrammeResult r = simulate_programme(
      model::Subject{},
      parse("weeks: 6\nexercises:\n  - {name: nordic_hamstring, sessions_per_week: 2}\n"
            "  - {name: seated_hamstring_stretch, sessions_per_week: 5}\n"),
      tests_only);
  ASSERT_EQ(r.weeks.size(), 7u);
  for (size_t w = 1; w < r.weeks.size(); ++w) {
    const double before = r.weeks[w - 1].tests.straight_leg_raise_deg[0].value,
                 now = r.weeks[w].tests.straight_leg_raise_deg[0].value;
    EXPECT_GT(now, before) << "week " << w;
    EXPECT_LT(now - before, 15.0) << "week " << w;
  }
}

}  // namespace
}  // namespace pulley::training
