// The command line end to end: exit codes, one-line errors, no output file on bad input.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct CliRun {
  int code;
  std::string out, err;
};

// Runs pulley with `args`, its output kept in `dir`; from `dir` when `in_dir` (relative paths in
// `args` are then read there).
CliRun run(const std::string& args, const fs::path& dir, bool in_dir = false) {
  const fs::path out = dir / "stdout.txt", err = dir / "stderr.txt";
  const std::string cmd = (in_dir ? "cd '" + dir.string() + "' && " : std::string()) +
                          std::string(PULLEY_BINARY) + " " + args + " >" + out.string() + " 2>" +
                          err.string();
  const int status = std::system(cmd.c_str());
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

bool one_line(const std::string& err) { return !err.empty() && err.find('\n') == err.size() - 1; }

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("pulley_cli_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p;
  }
  // pulley train on a typical man with the programme `programme_yaml`, its JSON to dir_/t.json.
  CliRun train(const std::string& programme_yaml) {
    const fs::path subject = write("s.yaml", "height_m: 1.75\nmass_kg: 75\n");
    const fs::path programme = write("p.yaml", programme_yaml);
    return run("train " + subject.string() + " " + programme.string() + " --json " +
                   (dir_ / "t.json").string(),
               dir_);
  }
  static std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  fs::path dir_;
};

TEST_F(CliTest, StandWritesJsonWithTheDocumentedKeys) {
  const fs::path subject = write("s.yaml", "height_m: 1.75\nmass_kg: 75\n");
  const fs::path json = dir_ / "r.json";
  const CliRun r = run("stand " + subject.string() + " --json " + json.string(), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  std::ifstream in(json);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_TRUE(j["posture"]["pelvic_tilt_deg"].is_number());
  EXPECT_TRUE(j["posture"]["segmental_lordosis_deg"]["L5_S1"].is_number());
  EXPECT_TRUE(j["posture"]["hip_flexion_deg"]["left"].is_number());
  EXPECT_TRUE(j["loads"]["lumbar"]["L4_L5"]["disc_pressure_mpa"].is_number());
  EXPECT_TRUE(j["loads"]["lumbar"]["L4_L5"]["posterior_share"].is_number());
  EXPECT_TRUE(j["loads"]["lumbar"]["L4_L5"]["ligament_tension_n"].is_number());
  for (const char* m : {"semimembranosus", "semitendinosus", "biceps_femoris_long",
                        "biceps_femoris_short", "rectus_femoris", "iliacus", "psoas",
                        "gluteus_maximus", "gastrocnemius"})
    for (const char* s : {"_r", "_l"}) {
      EXPECT_TRUE(j["muscles"][std::string(m) + s]["force_n"].is_number()) << m << s;
      EXPECT_TRUE(j["muscles"][std::string(m) + s]["activation"].is_number()) << m << s;
    }
  EXPECT_EQ(j["solver"]["status"], "converged");
  // The typical subject's standing beside it: this subject is typical, 0 SD away.
  const auto& against = j["against_typical"];
  ASSERT_EQ(against["tests"].size(), 2u);
  EXPECT_EQ(against["tests"][0]["test"], "standing_pelvic_tilt_deg");
  EXPECT_EQ(against["tests"][1]["test"], "standing_lumbar_lordosis_deg");
  for (const auto& t : against["tests"]) {
    EXPECT_EQ(t["subject"], t["typical"]);
    EXPECT_EQ(t["subject_beyond_healthy_spread"], false);
  }
  EXPECT_EQ(against["tests"][0]["healthy_sd"], 4.0);
  EXPECT_EQ(against["beyond_healthy_people"], "");
  EXPECT_NE(r.out.find("Against the typical subject"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Beyond healthy people"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("simulation and education tool"), std::string::npos);
}

// A subject whose standing pelvis lies beyond healthy people's spread is told so, in the
// printout and the JSON.
TEST_F(CliTest, StandNamesAPostureBeyondHealthyPeople) {
  const fs::path subject =
      write("tight.yaml",
            "sex: female\nheight_m: 1.65\nmass_kg: 62\nmuscles:\n  hamstrings: {length: 0.85}\n");
  const fs::path json = dir_ / "t.json";
  const CliRun r = run("stand " + subject.string() + " --json " + json.string(), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\nBeyond healthy people: standing pelvic tilt: "), std::string::npos)
      << r.out;
  const nlohmann::json j = nlohmann::json::parse(read(json));
  const auto& tilt = j["against_typical"]["tests"][0];
  EXPECT_EQ(tilt["subject_beyond_healthy_spread"], true);
  EXPECT_EQ(tilt["healthy_source"], "PMC4303780 table 3");
  EXPECT_GT(tilt["subject"].get<double>(), tilt["healthy_high"].get<double>());
  EXPECT_EQ(j["against_typical"]["beyond_healthy_people"].get<std::string>().rfind(
                "Beyond healthy people: standing pelvic tilt", 0),
            0u);
  // The typical subject is this woman with typical muscles: her own standing, as stand gives it.
  const fs::path plain = write("plain.yaml", "sex: female\nheight_m: 1.65\nmass_kg: 62\n");
  const fs::path plain_json = dir_ / "p.json";
  ASSERT_EQ(run("stand " + plain.string() + " --json " + plain_json.string(), dir_).code, 0);
  const nlohmann::json p = nlohmann::json::parse(read(plain_json));
  EXPECT_EQ(tilt["typical"], p["posture"]["pelvic_tilt_deg"]);
  EXPECT_EQ(j["against_typical"]["tests"][1]["typical"], p["posture"]["lumbar_lordosis_deg"]);
}

// A subject whose sides differ: its muscles are listed for both sides, each beside its twin; the
// typical subject's, alike on both, for the right side.
TEST_F(CliTest, StandListsBothSidesWhereTheSubjectsSidesDiffer) {
  const fs::path subject = write("asym.yaml",
                                 "height_m: 1.75\nmass_kg: 75\nmuscles: {soleus_l: {strength: "
                                 "0.3}, longissimus_l: {strength: 0.3}}\n");
  const fs::path json = dir_ / "a.json";
  const CliRun r = run("stand " + subject.string() + " --json " + json.string(), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(read(json));
  EXPECT_NE(r.out.find("Muscles working above resting tone (force and activation on each side: "
                       "the subject's sides differ)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("the left is the same"), std::string::npos) << r.out;
  for (const char* muscle : {"soleus", "longissimus"}) {
    const double right = j["muscles"][std::string(muscle) + "_r"]["force_n"].get<double>();
    const double left = j["muscles"][std::string(muscle) + "_l"]["force_n"].get<double>();
    EXPECT_GT(right - left, 50.0) << muscle;  // the weaker left works less
    const auto at = r.out.find("\n  " + std::string(muscle) + " ");
    ASSERT_NE(at, std::string::npos) << muscle << ": " << r.out;
    std::istringstream row(r.out.substr(at + 1, r.out.find('\n', at + 1) - at - 1));
    std::string name, n1, pct1, n2, pct2;
    double right_shown = 0, right_activation = 0, left_shown = 0, left_activation = 0;
    row >> name >> right_shown >> n1 >> right_activation >> pct1 >> left_shown >> n2 >>
        left_activation >> pct2;
    ASSERT_TRUE(row) << muscle;
    EXPECT_EQ(n1 + pct1 + n2 + pct2, "N%N%") << muscle;
    EXPECT_NEAR(right_shown, right, 0.5) << muscle;
    EXPECT_NEAR(left_shown, left, 0.5) << muscle;
  }
  const fs::path typical = write("s.yaml", "height_m: 1.75\nmass_kg: 75\n");
  const CliRun t = run("stand " + typical.string(), dir_);
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.out.find("Muscles working above resting tone (right side; the left is the same)\n  "),
            std::string::npos)
      << t.out;
  EXPECT_NE(t.out.find("\n  soleus_r "), std::string::npos) << t.out;
  EXPECT_EQ(t.out.find("_l "), std::string::npos) << t.out;
}

// The subject file's measured standing posture is printed under the simulated one, against the
// published norm, as the JSON gives it.
TEST_F(CliTest, StandPrintsTheMeasuredPostureAgainstTheNorm) {
  const fs::path subject =
      write("m.yaml",
            "height_m: 1.75\nmass_kg: 75\nmeasurements: {standing_pelvic_tilt_deg: 45, "
            "standing_lumbar_lordosis_deg: 55}\n");
  const fs::path json = dir_ / "m.json";
  const CliRun r = run("stand " + subject.string() + " --json " + json.string(), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto tilt = r.out.find("  standing pelvic tilt: ");
  ASSERT_NE(tilt, std::string::npos) << r.out;
  const auto next = r.out.find('\n', tilt) + 1;
  EXPECT_EQ(r.out.substr(next, r.out.find('\n', next) - next),
            "    measured 45.0 deg, above the norm (healthy 0-27 deg, mean +- 2 SD (Mac-Thiong et "
            "al. 2011))");
  EXPECT_NE(r.out.find("\n    measured 55.0 deg, within the norm (about pelvic incidence + 9 deg"),
            std::string::npos)
      << r.out;
  const nlohmann::json j = nlohmann::json::parse(read(json));
  EXPECT_EQ(j["against_typical"]["tests"][0]["measured"], 45.0);
  EXPECT_EQ(j["against_typical"]["tests"][0]["measured_vs_norm"], "high");
  EXPECT_EQ(j["against_typical"]["tests"][1]["measured_vs_norm"], "typical");
  // Nothing measured, nothing printed.
  const fs::path plain = write("s.yaml", "height_m: 1.75\nmass_kg: 75\n");
  const CliRun p = run("stand " + plain.string(), dir_);
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_EQ(p.out.find("measured"), std::string::npos) << p.out;
}

// Out of equilibrium, the JSON has no loads or muscle forces, as the printout shows none.
TEST_F(CliTest, StandOutOfEquilibriumWritesNullLoadsAndForces) {
  const fs::path subject = write(
      "nc.yaml",
      "height_m: 1.2\nmass_kg: 30\nsex: female\nage: 100\npelvic_incidence_deg: 20\nmuscles:\n"
      "  hamstrings: {length: 0.8, stiffness: 5}\n  hip_flexors: {length: 0.8, stiffness: 5}\n"
      "  quadriceps: {length: 0.8, stiffness: 5}\nmeasurements: {standing_pelvic_tilt_deg: 20}\n");
  const fs::path json = dir_ / "nc.json";
  const CliRun r = run("stand " + subject.string() + " --json " + json.string(), dir_);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(one_line(r.err)) << r.err;
  EXPECT_NE(r.out.find("not an equilibrium"), std::string::npos) << r.out;
  // With no comparison to print it in, the measured posture is still shown, as given.
  EXPECT_NE(r.out.find("measured (the subject file): standing pelvic tilt 20.0 deg"),
            std::string::npos)
      << r.out;
  const nlohmann::json j = nlohmann::json::parse(read(json));
  EXPECT_NE(j["solver"]["status"], "converged");
  EXPECT_TRUE(j["posture"]["pelvic_tilt_deg"].is_number());  // the search's last posture
  EXPECT_TRUE(j["against_typical"].is_null());
  ASSERT_EQ(j["loads"]["lumbar"].size(), 5u);
  for (const auto& [level, values] : j["loads"]["lumbar"].items()) {
    ASSERT_EQ(values.size(), 6u) << level;
    for (const auto& [key, v] : values.items()) EXPECT_TRUE(v.is_null()) << level << " " << key;
  }
  EXPECT_TRUE(j["loads"]["ground_force_n"]["right"].is_null());
  EXPECT_TRUE(j["loads"]["ground_force_n"]["left"].is_null());
  ASSERT_TRUE(j["muscles"].contains("biceps_femoris_long_r"));
  for (const auto& [name, m] : j["muscles"].items()) {
    EXPECT_TRUE(m["force_n"].is_null()) << name;
    EXPECT_TRUE(m["activation"].is_null()) << name;
    EXPECT_TRUE(m["group"].is_string()) << name;
  }
  ASSERT_FALSE(j["units"].empty());
  for (const auto& [name, u] : j["units"].items())
    for (const char* key : {"force_n", "activation", "fibre_length_norm"})
      EXPECT_TRUE(u[key].is_null()) << name << " " << key;
}

// The solver's line says what happened: an equilibrium whose least-effort search stopped at its
// evaluation limit is not called plainly converged, and no optimiser error text is shown.
TEST_F(CliTest, StandSaysHowTheSolverEnded) {
  const CliRun runner =
      run("stand " + std::string(PULLEY_TEST_DATA_DIR) + "/subjects/full.yaml", dir_);
  ASSERT_EQ(runner.code, 0) << runner.err;
  EXPECT_NE(runner.out.find("\nSolver: converged: equilibrium found; the least-effort search ended "
                            "where its line search found no lower effort ("),
            std::string::npos)
      << runner.out;
  EXPECT_EQ(runner.out.find("nlopt"), std::string::npos) << runner.out;
  // Heavy, tall and without the leg and back muscles' drive: in equilibrium, the search at its
  // limit.
  const fs::path subject =
      write("limit.yaml",
            "height_m: 2.2\nmass_kg: 200\nmuscles:\n  hamstrings: {capacity: 0, strength: 0.1}\n"
            "  quadriceps: {capacity: 0}\n  gluteals: {capacity: 0}\n"
            "  erector_spinae: {capacity: 0}\n");
  const fs::path json = dir_ / "l.json";
  const CliRun r = run("stand " + subject.string() + " --json " + json.string(), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(
      r.out.find("\nSolver: equilibrium found, least effort not confirmed: the search stopped "
                 "at its evaluation limit before meeting its tolerances ("),
      std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("Solver: converged"), std::string::npos) << r.out;
  const nlohmann::json j = nlohmann::json::parse(read(json));
  EXPECT_EQ(j["solver"]["status"], "converged");
  EXPECT_EQ(j["solver"]["message"].get<std::string>().rfind(
                "equilibrium found, least effort not confirmed", 0),
            0u);
}

// pulley demo's folders: a missing one is made inside an existing folder, not deeper; every
// refusal names its option, before anything is computed or made.
TEST_F(CliTest, DemoFoldersAreMadeOneLevelDeepAndRefusalsNameTheirOption) {
  const fs::path file = write("file.txt", "x");
  const fs::path made = dir_ / "made";
  // arguments; fragments the message must contain and must not
  struct Case {
    std::string args;
    std::vector<std::string> fragments;
    std::string not_in;
  };
  const std::vector<Case> cases = {
      {"--json-dir " + (dir_ / "no" / "x").string(),
       {"--json-dir", (dir_ / "no" / "x").string(), "does not exist"},
       "--report-dir"},
      {"--report-dir " + (dir_ / "no" / "x").string(),
       {"--report-dir", (dir_ / "no" / "x").string(), "does not exist"},
       "--json-dir"},
      {"--json-dir " + made.string() + " --report-dir " + (dir_ / "no" / "x").string(),
       {"--report-dir", "does not exist"},
       "--json-dir"},
      {"--json-dir " + file.string(), {"--json-dir", "not a folder"}, "--report-dir"},
      {"--report-dir " + (file / "x").string(), {"--report-dir", "is not a folder"}, "--json-dir"},
  };
  for (const auto& c : cases) {
    const CliRun r = run("demo " + c.args, dir_);
    EXPECT_EQ(r.code, 2) << c.args << ": " << r.err;
    EXPECT_TRUE(one_line(r.err)) << c.args << ": " << r.err;
    for (const auto& f : c.fragments)
      EXPECT_NE(r.err.find(f), std::string::npos) << c.args << ": " << r.err;
    EXPECT_EQ(r.err.find(c.not_in), std::string::npos) << c.args << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << c.args;  // refused before anything is computed
    EXPECT_FALSE(fs::exists(dir_ / "no")) << c.args;
    EXPECT_FALSE(fs::exists(made)) << c.args;  // the folder it would have made is not left
  }
  if (fs::is_directory("/proc")) {  // a folder that cannot be made: named by its own option
    const CliRun r = run("demo --json-dir /proc/pulley-no-such-folder", dir_);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_TRUE(one_line(r.err)) << r.err;
    EXPECT_EQ(r.err.rfind("pulley: --json-dir '/proc/pulley-no-such-folder': cannot create the "
                          "folder",
                          0),
              0u)
        << r.err;
    const CliRun both =
        run("demo --json-dir " + made.string() + " --report-dir /proc/pulley-no-such-folder", dir_);
    EXPECT_EQ(both.code, 2) << both.err;
    EXPECT_NE(both.err.find("--report-dir '/proc/pulley-no-such-folder'"), std::string::npos)
        << both.err;
    EXPECT_FALSE(fs::exists(made));  // made, then removed with the refusal
  }
}

TEST_F(CliTest, BadInputGivesOneLineExitTwoAndNoOutputFile) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"malformed.yaml", "height_m: [1.75\nmass_kg: 75\n"},
      {"unknown.yaml", "height_m: 1.75\nmass_kg: 75\nwingspan_m: 2\n"},
      {"type.yaml", "height_m: tall\nmass_kg: 75\n"},
      {"nan.yaml", "height_m: .nan\nmass_kg: 75\n"},
      {"mass0.yaml", "height_m: 1.75\nmass_kg: 0\n"},
      {"mass5000.yaml", "height_m: 1.75\nmass_kg: 5000\n"},
      {"height.yaml", "height_m: 0.3\nmass_kg: 75\n"},
      {"pi.yaml", "height_m: 1.75\nmass_kg: 75\npelvic_incidence_deg: 150\n"},
      {"factor.yaml", "height_m: 1.75\nmass_kg: 75\nmuscles:\n  hamstrings: {strength: -1}\n"},
      {"empty.yaml", ""},
  };
  for (const auto& [name, text] : cases) {
    const fs::path subject = write(name, text);
    const fs::path json = dir_ / (name + ".json");
    const CliRun r = run("stand " + subject.string() + " --json " + json.string(), dir_);
    EXPECT_EQ(r.code, 2) << name << ": " << r.err;
    EXPECT_FALSE(fs::exists(json)) << name;
    ASSERT_FALSE(r.err.empty()) << name;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << name << ": " << r.err;  // one line
    EXPECT_NE(r.err.find(name), std::string::npos) << name << ": " << r.err;
  }
  const CliRun missing = run("stand " + (dir_ / "missing.yaml").string(), dir_);
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("missing.yaml"), std::string::npos);
  const CliRun bad_dir = run("stand " + write("ok.yaml", "height_m: 1.75\nmass_kg: 75\n").string() +
                              " --json " + (dir_ / "no_such_folder" / "r.json").string(),
                          dir_);
  EXPECT_EQ(bad_dir.code, 2);
  EXPECT_NE(bad_dir.err.find("no_such_folder"), std::string::npos);
  // The message names the file asked for, not a helper file of Pulley's.
  EXPECT_NE(bad_dir.err.find("r.json: cannot write"), std::string::npos) << bad_dir.err;
  EXPECT_EQ(bad_dir.err.find(".probe"), std::string::npos) << bad_dir.err;
}

// Results written into a pipe or FIFO: in place, whole; a FIFO no program reads from is an error
// at once, not a wait (`timeout` stops the run, exit 124, if it ever waits).
TEST_F(CliTest, JsonIntoAPipeOrAFifo) {
  const fs::path subject = write("s.yaml", "height_m: 1.75\nmass_kg: 75\n");
  const std::string stand = std::string(PULLEY_BINARY) + " stand " + subject.string();
  const fs::path piped = dir_ / "piped.txt";
  ASSERT_EQ(std::system((stand + " --json /dev/stdout | cat > " + piped.string()).c_str()), 0);
  const std::string text = read(piped);
  const std::size_t open = text.find("{\n"), close = text.rfind("\n}");
  ASSERT_NE(open, std::string::npos) << text;
  ASSERT_NE(close, std::string::npos) << text;
  EXPECT_TRUE(nlohmann::json::parse(text.substr(open, close + 2 - open))["posture"].is_object());

  const fs::path fifo = dir_ / "results.json";
  ASSERT_EQ(std::system(("mkfifo " + fifo.string()).c_str()), 0);
  const CliRun unread = run("stand " + subject.string() + " --json " + fifo.string(), dir_);
  EXPECT_EQ(unread.code, 2) << unread.err;
  EXPECT_EQ(unread.err, "pulley: " + fifo.string() + ": cannot write: no program is reading "
                                                     "from it\n");
  // A reader opened first (without waiting for a writer); the results, about 34 kB, fit in the
  // FIFO's 64 kB buffer, so the run does not wait for them to be read.
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  const CliRun into = run("stand " + subject.string() + " --json " + fifo.string(), dir_);
  EXPECT_EQ(into.code, 0) << into.err;
  std::string json;
  std::array<char, 4096> buffer{};
  for (ssize_t n; (n = ::read(reader, buffer.data(), buffer.size())) > 0;)
    json.append(buffer.data(), static_cast<std::size_t>(n));
  ::close(reader);
  EXPECT_TRUE(nlohmann::json::parse(json)["posture"].is_object()) << json.size();
  EXPECT_TRUE(fs::is_fifo(fifo));  // written into, not replaced
}

TEST_F(CliTest, VersionHelpAndModel) {
  EXPECT_EQ(run("--version", dir_).code, 0);
  EXPECT_EQ(run("--help", dir_).code, 0);
  EXPECT_EQ(run("stand --help", dir_).code, 0);
  const CliRun m = run("model", dir_);
  EXPECT_EQ(m.code, 0);
  EXPECT_NE(m.out.find("semimembranosus_r"), std::string::npos);
  EXPECT_NE(m.out.find("Rajagopal"), std::string::npos);
  EXPECT_EQ(run("no-such-command", dir_).code, 2);
}

TEST_F(CliTest, MomentArmsTableAndJson) {
  const fs::path json = dir_ / "arms.json";
  const CliRun r =
      run("moment-arms --joint knee --from 0 --to 90 --step 45 --json " + json.string(), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("knee_angle_r"), std::string::npos);
  EXPECT_NE(r.out.find("positive = drives knee flexion"), std::string::npos);
  EXPECT_NE(r.out.find("semimembranosus_r"), std::string::npos);
  EXPECT_EQ(r.out.find("iliacus_r"), std::string::npos);  // does not cross the knee
  std::ifstream in(json);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["task"], "moment-arms");
  EXPECT_NE(j["disclaimer"].get<std::string>().find("not measurements"), std::string::npos);
  EXPECT_EQ(j["coordinate"], "knee_angle_r");
  EXPECT_EQ(j["angles_deg"].size(), 3u);
  const auto& sm = j["muscles"]["semimembranosus_r"]["moment_arm_mm"];
  ASSERT_EQ(sm.size(), 3u);
  EXPECT_GT(sm[1].get<double>(), 0.0);  // flexes the knee
  EXPECT_LT(j["muscles"]["vasti_r"]["moment_arm_mm"][1].get<double>(), 0.0);  // extends it

  const CliRun lumbar = run("moment-arms --joint L4_L5 --side l", dir_);
  ASSERT_EQ(lumbar.code, 0) << lumbar.err;
  EXPECT_NE(lumbar.out.find("multifidus_l"), std::string::npos);
  EXPECT_EQ(lumbar.out.find("multifidus_r"), std::string::npos);
  EXPECT_EQ(run("moment-arms", dir_).code, 0);
  EXPECT_EQ(run("moment-arms --help", dir_).code, 0);
}

// A subject file sets the geometry: a smaller person's moment arms are shorter, and the JSON
// names the subject; a bad subject file is refused like any other input.
TEST_F(CliTest, MomentArmsOfASubject) {
  const fs::path small = write("small.yaml", "name: small\nheight_m: 1.5\nmass_kg: 50\n");
  const fs::path json = dir_ / "arms.json", typical = dir_ / "typical.json";
  const CliRun r = run("moment-arms " + small.string() + " --joint knee --from 45 --to 45 "
                       "--json " + json.string(),
                       dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Subject: small (male, 1.50 m"), std::string::npos) << r.out;
  ASSERT_EQ(run("moment-arms --joint knee --from 45 --to 45 --json " + typical.string(), dir_).code,
            0);
  const auto j = nlohmann::json::parse(read(json)), t = nlohmann::json::parse(read(typical));
  EXPECT_EQ(j["subject"]["name"], "small");
  EXPECT_EQ(j["subject"]["height_m"], 1.5);
  EXPECT_DOUBLE_EQ(t["subject"]["height_m"].get<double>(), 1.75);
  const double a = j["muscles"]["semimembranosus_r"]["moment_arm_mm"][0].get<double>();
  const double b = t["muscles"]["semimembranosus_r"]["moment_arm_mm"][0].get<double>();
  EXPECT_LT(a, 0.95 * b);
  EXPECT_GT(a, 0.75 * b);
  const fs::path bad = write("bad.yaml", "height_m: 9\nmass_kg: 75\n");
  const CliRun refused = run("moment-arms " + bad.string() + " --json " + json.string(), dir_);
  EXPECT_EQ(refused.code, 2);
  EXPECT_TRUE(one_line(refused.err)) << refused.err;
  EXPECT_NE(refused.err.find("height_m"), std::string::npos) << refused.err;
}

TEST_F(CliTest, MomentArmsBadArgumentsGiveOneLineAndExitTwo) {
  // option, value, and a fragment of what is allowed that the message must name
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"--joint", "elbow", "L5_S1"},  {"--side", "x", "r or l"},
      {"--from", "abc", "degrees"},   {"--to", "500", "140"},
      {"--step", "0", "0.01"},        {"--step", "nan", "degrees"},
      {"--from", "1e400", "degrees"},
  };
  for (const auto& [option, value, allowed] : cases) {
    const fs::path json = dir_ / "bad.json";
    const CliRun r = run("moment-arms " + option + " " + value + " --json " + json.string(), dir_);
    EXPECT_EQ(r.code, 2) << option << " " << value << ": " << r.err;
    EXPECT_FALSE(fs::exists(json)) << option;
    ASSERT_FALSE(r.err.empty()) << option;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;  // one line
    EXPECT_NE(r.err.find(option), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(value), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(allowed), std::string::npos) << r.err;
  }
  const CliRun reversed = run("moment-arms --from 50 --to 10", dir_);
  EXPECT_EQ(reversed.code, 2);
  EXPECT_NE(reversed.err.find("--to"), std::string::npos);
  const CliRun many = run("moment-arms --joint hip --from -40 --to 140 --step 0.01", dir_);
  EXPECT_EQ(many.code, 2);
  EXPECT_NE(many.err.find("at most"), std::string::npos);
  const CliRun bad_dir =
      run("moment-arms --json " + (dir_ / "no_such_folder" / "a.json").string(), dir_);
  EXPECT_EQ(bad_dir.code, 2);
  EXPECT_NE(bad_dir.err.find("no_such_folder"), std::string::npos);
}

TEST_F(CliTest, TasksListsEveryTaskAndItsParameters) {
  const CliRun r = run("tasks", dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* task : {"stand", "forward-bend", "lift", "sit", "lie", "walk", "run", "sprint",
                           "stairs-up", "stairs-down", "sit-to-stand", "squat",
                           "trunk-endurance", "repeated-sprints", "long-stand"})
    EXPECT_NE(r.out.find("\n" + std::string(task) + "\n"), std::string::npos) << task;
  EXPECT_NE(r.out.find("load_kg"), std::string::npos);
  EXPECT_NE(r.out.find("0 to 100 kg"), std::string::npos);
  EXPECT_NE(r.out.find("allowed stoop, squat"), std::string::npos);
  const CliRun j = run("tasks --json", dir_);
  ASSERT_EQ(j.code, 0) << j.err;
  const auto list = nlohmann::json::parse(j.out);
  ASSERT_EQ(list.size(), 15u);
  EXPECT_EQ(list[2]["name"], "lift");
  EXPECT_EQ(list[6]["name"], "run");
  EXPECT_EQ(list[6]["parameters"][0]["name"], "speed_m_s");
  EXPECT_EQ(list[6]["parameters"][0]["values"], nlohmann::json({2.0, 3.0, 4.0, 5.0}));
  EXPECT_EQ(list[13]["name"], "repeated-sprints");
  EXPECT_EQ(list[13]["parameters"][0]["values"], nlohmann::json({4.0, 5.0, 9.5}));
  EXPECT_EQ(list[8]["name"], "stairs-up");
  EXPECT_EQ(list[8]["parameters"][0]["name"], "step_height_m");
  bool found = false;
  for (const auto& p : list[2]["parameters"])
    if (p["name"] == "load_kg") {
      found = true;
      EXPECT_EQ(p["unit"], "kg");
      EXPECT_EQ(p["max"], 100.0);
    }
  EXPECT_TRUE(found);
  // The bend's frames are odd (its deepest frame in the middle); the lift's are any whole number.
  const auto frames_of = [&](std::size_t task) {
    for (const auto& p : list[task]["parameters"])
      if (p["name"] == "frames") return p;
    return nlohmann::json();
  };
  EXPECT_EQ(list[1]["name"], "forward-bend");
  EXPECT_EQ(frames_of(1)["odd"], true);
  EXPECT_EQ(frames_of(1)["min"], 3.0);
  EXPECT_EQ(frames_of(2)["odd"], false);
  EXPECT_EQ(frames_of(2)["integer"], true);
}

// A bend the muscles cannot hold names what would ask less of them: a shallower bend, and a
// lighter hand load where one is held.
TEST_F(CliTest, SimulateSuggestsAnEasierBendWhenTheMusclesCannotHoldIt) {
  const fs::path subject = write(
      "tight.yaml",
      "height_m: 1.75\nmass_kg: 75\nmuscles:\n  hamstrings: {length: 0.96, stiffness: 1.5}\n");
  const CliRun loaded = run(
      "simulate forward-bend " + subject.string() + " --set frames=11 --set hand_load_kg=5", dir_);
  EXPECT_EQ(loaded.code, 1) << loaded.err;
  EXPECT_TRUE(one_line(loaded.err)) << loaded.err;
  EXPECT_NE(loaded.err.find("or bend less deeply or hold less (peak_thorax_inclination_deg, "
                            "hand_load_kg)"),
            std::string::npos)
      << loaded.err;
  const CliRun bare = run("simulate forward-bend " + subject.string() + " --set frames=11", dir_);
  EXPECT_EQ(bare.code, 1) << bare.err;
  EXPECT_NE(bare.err.find("or bend less deeply (peak_thorax_inclination_deg)\n"), std::string::npos)
      << bare.err;
}

// The knee's shear either way, in both of the printout's forms, and the stairs' synthetic pattern
// named as such, with no recorded subject.
TEST_F(CliTest, SimulatePrintsTheKneesShearBothWaysAndTheStairsPattern) {
  const fs::path subject = write("s.yaml", "height_m: 1.75\nmass_kg: 75\n");
  const fs::path json = dir_ / "s.json";
  const CliRun stairs = run("simulate stairs-up " + subject.string() +
                                " --set reserve=on --set frames=21 --json " + json.string(),
                            dir_);
  ASSERT_EQ(stairs.code, 0) << stairs.err;
  EXPECT_NE(stairs.out.find("the pattern's ground reactions average"), std::string::npos)
      << stairs.out;
  EXPECT_NE(stairs.out.find("scaled to this subject's weight"), std::string::npos) << stairs.out;
  EXPECT_EQ(stairs.out.find("recorded subject"), std::string::npos) << stairs.out;
  const auto j = nlohmann::json::parse(read(json));
  EXPECT_EQ(j["gait"]["synthetic"], true);
  const double posterior = j["summary"]["knee"]["peak_posterior_shear_n"].get<double>();
  EXPECT_GT(posterior, 100.0);
  EXPECT_LT(j["summary"]["knee"]["peak_anterior_shear_n"].get<double>(), 0.0);
  EXPECT_NE(stairs.out.find(
                fmt::format("tibial shear posterior in every frame, up to {:.0f} N", posterior)),
            std::string::npos)
      << stairs.out;
  const CliRun walk =
      run("simulate walk " + subject.string() + " --set reserve=on --json " + json.string(), dir_);
  ASSERT_EQ(walk.code, 0) << walk.err;
  EXPECT_TRUE(
      std::regex_search(walk.out, std::regex("tibial shear up to [0-9]+ N anterior and [0-9]+ N "
                                             "posterior\n")))
      << walk.out;
  EXPECT_NE(walk.out.find("recorded subject"), std::string::npos) << walk.out;
  EXPECT_EQ(nlohmann::json::parse(read(json))["gait"]["synthetic"], false);
}

TEST_F(CliTest, SimulateBadInputGivesOneLineExitTwoAndNoFile) {
  const fs::path subject = write("s.yaml", "height_m: 1.75\nmass_kg: 75\n");
  const fs::path json = dir_ / "bad.json";
  // arguments after the subject, and fragments the message must contain
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"lift S --set load_kg=-5", {"load_kg", "-5", "0 to 100 kg"}},
      {"lift S --set load_kg=10000", {"load_kg", "10000", "0 to 100"}},
      {"lift S --set lod_kg=5", {"lod_kg", "load_kg"}},
      {"lift S --set load_kg", {"--set", "load_kg", "name=value"}},
      // A --set value without '=' is named, before the words after it are read as the subject.
      {"sit --set style S", {"--set", "'style'", "no '='", "name=value"}},
      {"sit --set style slouched S", {"--set", "'style'", "no '='"}},
      {"sit S --set --json", {"--set", "no name=value after it"}},
      {"lift S --set frames=2.5", {"frames", "whole"}},
      {"lift S --set style=crouch", {"style", "crouch", "stoop"}},
      {"jump S", {"jump", "forward-bend"}},
      {"run S --set speed_m_s=3.5", {"speed_m_s", "3.5", "2, 3, 4 or 5 m/s", "not interpolated"}},
      {"run S --set speed_m_s=12", {"speed_m_s", "12", "2, 3, 4 or 5"}},
      {"walk S --set frames=5", {"frames", "21 to 1001"}},
      {"walk S --set cocontraction=0.9", {"cocontraction", "0.9", "0 to 0.5"}},
      {"repeated-sprints S --set speed_m_s=3", {"speed_m_s", "4, 5 or 9.5 m/s"}},
      {"repeated-sprints S --set sprints=0", {"sprints", "1 to 30"}},
      {"repeated-sprints S --set rest_s=-1", {"rest_s", "0 to 600 s"}},
      {"trunk-endurance S --set limit_s=nan", {"limit_s", "not a number"}},
      {"long-stand S --set duration_min=100000", {"duration_min", "5 to 480 min"}},
      {"squat S --set rep=6", {"rep", "6", "all, 1, 2, 3, 4, 5"}},
      {"stairs-up S --set step_height_m=0.3", {"step_height_m", "0.3", "0.1 to 0.25 m"}},
      {"stairs-down S --set cycle_s=0.1", {"cycle_s", "0.1", "0.8 to 3 s"}},
      {"stairs-down S --set speed_m_s=1", {"speed_m_s", "step_height_m, cycle_s"}},
      {"stand " + (dir_ / "missing.yaml").string(), {"missing.yaml"}},
  };
  for (const auto& [args, fragments] : cases) {
    std::string a = args;
    if (const auto at = a.find(" S"); at != std::string::npos && a.find('/') == std::string::npos)
      a.replace(at, 2, " " + subject.string());
    const CliRun r = run("simulate " + a + " --json " + json.string(), dir_);
    EXPECT_EQ(r.code, 2) << args << ": " << r.err;
    EXPECT_FALSE(fs::exists(json)) << args;
    ASSERT_FALSE(r.err.empty()) << args;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << args << ": " << r.err;  // one line
    for (const auto& f : fragments) EXPECT_NE(r.err.find(f), std::string::npos) << args << ": " << r.err;
  }
}

TEST_F(CliTest, SimulateSprintWithoutItsRecordingSaysHowToProvideIt) {
  const fs::path subject = write("s.yaml", "height_m: 1.75\nmass_kg: 75\n");
  const fs::path json = dir_ / "sprint.json";
  const CliRun r = run("simulate sprint " + subject.string() + " --json " + json.string(),
                       dir_);
  // Skipped where a local copy of the recording is configured.
  if (std::getenv("PULLEY_MOTION_DIR")) GTEST_SKIP() << "PULLEY_MOTION_DIR is set";
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("PULLEY_MOTION_DIR"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("sprint_ik.mot"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(json));
}

TEST_F(CliTest, SimulateRunWritesTheGaitSummary) {
  const fs::path subject = write("s.yaml", "height_m: 1.75\nmass_kg: 75\n");
  const fs::path json = dir_ / "run.json";
  const CliRun r = run("simulate run " + subject.string() +
                           " --set speed_m_s=4 --set reserve=on --json " + json.string(),
                       dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("biceps_femoris_long"), std::string::npos);
  std::ifstream in(json);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["parameters"]["speed_m_s"], 4.0);
  EXPECT_EQ(j["gait"]["recording"], "hamner2013_running/run400_ik.mot");
  for (const char* head : {"semimembranosus", "semitendinosus", "biceps_femoris_long",
                           "biceps_femoris_short"}) {
    const auto& h = j["summary"]["hamstrings"][head];
    for (const char* key : {"peak_mtu_stretch_pct", "peak_fibre_strain", "peak_time_pct_cycle",
                            "peak_force_n"})
      EXPECT_TRUE(h[key].is_number()) << head << " " << key;
    EXPECT_EQ(j["gait"]["frames"]["hamstrings"][head]["force_n"].size(), 101u) << head;
  }
  EXPECT_TRUE(j["summary"]["knee"]["peak_compression_bw"].is_number());
  EXPECT_GT(j["summary"]["knee"]["peak_compression_bw"].get<double>(), 1.0);
  EXPECT_EQ(j["frames"]["time_s"].size(), 101u);
  EXPECT_EQ(r.err.find("between frames"), std::string::npos) << r.err;  // 6.8 ms apart
}

// Frames closer than the recruitment's force-velocity can follow are run, with a warning that
// names the step and where the limit is documented, whether the muscles hold the frames or not;
// recordings run at their own samples (the squat, 10 ms apart) get none.
TEST_F(CliTest, SimulateWarnsWhereAStridesFramesAreTooClose) {
  const fs::path subject = write("s.yaml", "height_m: 1.75\nmass_kg: 75\n");
  const CliRun walk =
      run("simulate walk " + subject.string() + " --set frames=401 --set reserve=on", dir_);
  ASSERT_EQ(walk.code, 0) << walk.err;
  EXPECT_NE(walk.err.find("401 frames put 2.86 ms between frames, under the 3 ms"),
            std::string::npos)
      << walk.err;
  EXPECT_NE(walk.err.find("Known gaps"), std::string::npos) << walk.err;
  // Without the reserve the run's shortfall ends the task; the warning comes first.
  const CliRun run5 =
      run("simulate run " + subject.string() + " --set speed_m_s=5 --set frames=401", dir_);
  EXPECT_EQ(run5.code, 1) << run5.err;
  const auto warning = run5.err.find("401 frames put 1.58 ms between frames");
  EXPECT_NE(warning, std::string::npos) << run5.err;
  EXPECT_LT(warning, run5.err.find("the muscles fall short")) << run5.err;
  const CliRun squat = run("simulate squat " + subject.string() + " --set reserve=on", dir_);
  ASSERT_EQ(squat.code, 0) << squat.err;
  EXPECT_EQ(squat.err.find("between frames"), std::string::npos) << squat.err;
}

TEST_F(CliTest, SimulateTrunkEnduranceWritesTheFatigueSummary) {
  const fs::path subject = write("s.yaml", "height_m: 1.75\nmass_kg: 75\n");
  const fs::path json = dir_ / "te.json";
  const CliRun r = run("simulate trunk-endurance " + subject.string() + " --json " + json.string(),
                       dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("endurance time"), std::string::npos);
  std::ifstream in(json);
  const auto j = nlohmann::json::parse(in);
  const auto& f = j["summary"]["fatigue"];
  ASSERT_TRUE(f["endurance_time_s"].is_number());
  EXPECT_EQ(j["frames"]["time_s"].size(), static_cast<std::size_t>(f["endurance_time_s"].get<double>()));
  EXPECT_LT(f["muscles"]["longissimus_r"]["capacity"].get<double>(), 1.0);
  EXPECT_EQ(f["muscles"]["longissimus_r"]["rates"], "trunk");
  EXPECT_TRUE(f["after"]["standing"]["pelvic_tilt_deg"]["fatigued"].is_number());
  EXPECT_EQ(f["after"]["stride"]["hamstring_strain_index"].size(), 4u);
  EXPECT_EQ(j["fatigue"]["capacity"]["longissimus_r"].size(), j["fatigue"]["time_s"].size());
}

TEST_F(CliTest, SimulateSitToStandAndSquatWriteTheKneeAndTheRepetitions) {
  const fs::path subject = write("s.yaml", "height_m: 1.75\nmass_kg: 75\n");
  const fs::path json = dir_ / "sts.json";
  const CliRun r = run("simulate sit-to-stand " + subject.string() +
                           " --set reserve=on --json " + json.string(),
                       dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("seat-off"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Kutzner"), std::string::npos) << r.out;
  std::ifstream in(json);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["parameters"]["rep"], "all");
  EXPECT_GT(j["summary"]["knee"]["peak_compression_bw"].get<double>(), 1.0);
  EXPECT_TRUE(j["summary"]["knee"]["peak_anterior_shear_n"].is_number());
  const auto& reps = j["summary"]["repetitions"];
  ASSERT_EQ(reps["list"].size(), 5u);
  EXPECT_TRUE(reps["list"][0]["seat_off_s"].is_number());
  EXPECT_TRUE(reps["list"][0]["phases"]["rise"]["peak_compression_bw"].is_number());
  EXPECT_TRUE(reps["mean"]["phases"]["sit"]["peak_resultant_bw"].is_number());
  EXPECT_EQ(reps["published_peak_resultant_bw"]["rise"], 2.46);
  const auto& frames = j["recorded_motion"]["frames"];
  EXPECT_EQ(frames["unmeasured_support"].size(), j["frames"]["time_s"].size());
  EXPECT_EQ(j["frames"]["phase"][0], "seated");  // the recording starts in the chair
  EXPECT_FALSE(j["summary"].contains("hamstrings"));

  // One squat: its frames only, and the knee bend beside it.
  const fs::path squat = dir_ / "squat.json";
  const CliRun s = run("simulate squat " + subject.string() +
                           " --set rep=2 --set reserve=on --json " + squat.string(),
                       dir_);
  ASSERT_EQ(s.code, 0) << s.err;
  std::ifstream in2(squat);
  const auto q = nlohmann::json::parse(in2);
  ASSERT_EQ(q["summary"]["repetitions"]["list"].size(), 1u);
  EXPECT_EQ(q["summary"]["repetitions"]["list"][0]["number"], 2);
  EXPECT_EQ(q["summary"]["repetitions"]["published_peak_resultant_bw"]["repetition"], 2.53);
  EXPECT_LT(q["frames"]["time_s"].size(), 400u);
  EXPECT_GT(q["recorded_motion"]["window"]["start_s"].get<double>(), 2.0);
}

TEST_F(CliTest, SimulateInfeasibleLiftExitsOneAndWritesNothing) {
  const fs::path subject = write("s.yaml", "height_m: 1.75\nmass_kg: 75\n");
  const fs::path json = dir_ / "x.json", csv = dir_ / "x.csv";
  const CliRun r = run("simulate lift " + subject.string() +
                           " --set load_kg=100 --set load_distance_m=1 --set frames=3 --json " +
                           json.string() + " --csv " + csv.string(),
                       dir_);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_FALSE(fs::exists(json));
  EXPECT_FALSE(fs::exists(csv));
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;  // one line
  EXPECT_NE(r.err.find("reserve=on"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("fall short"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("or lift less or closer (load_kg, load_distance_m)"), std::string::npos)
      << r.err;
  // The printed loads are said to be what the muscles carry while falling short; a lift they
  // can hold says nothing of the kind.
  const std::string short_of = "the loads are what they carry while falling short";
  EXPECT_NE(r.out.find("The peaks below include 3 frames of 3 where the muscles cannot supply"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(short_of), std::string::npos) << r.out;
  const CliRun held = run("simulate lift " + subject.string() + " --set frames=3", dir_);
  EXPECT_EQ(held.code, 0) << held.err;
  EXPECT_EQ(held.out.find(short_of), std::string::npos) << held.out;

  // With the reserve on, the same lift writes its files, says so on stderr and succeeds.
  const CliRun on = run("simulate lift " + subject.string() +
                            " --set load_kg=100 --set load_distance_m=1 --set frames=3 "
                            "--set reserve=on --json " + json.string(),
                        dir_);
  EXPECT_EQ(on.code, 0) << on.err;
  ASSERT_TRUE(fs::exists(json));
  EXPECT_NE(on.err.find("reserve"), std::string::npos) << on.err;
  std::ifstream in(json);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["status"], "infeasible");
  EXPECT_EQ(j["reserve"], "on");
  double largest = 0.0;
  for (const auto& v : j["frames"]["reserve_nm"]["hip"]) largest = std::max(largest, std::abs(v.get<double>()));
  EXPECT_GT(largest, 1.0);
}

// --set anywhere after simulate, alone or with more name=value words after it; the subject file
// and the options after it are read as such.
TEST_F(CliTest, SimulateTakesSettingsInAnyPosition) {
  const std::string subject = write("s.yaml", "height_m: 1.75\nmass_kg: 75\n").string();
  const std::string json = (dir_ / "o.json").string(), csv = (dir_ / "o.csv").string();
  // arguments after simulate; the parameters the run must print
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"sit --set style=slouched " + subject + " --json " + json, {"style=slouched"}},
      {"lift --set load_kg=5 frames=3 " + subject + " --csv " + csv, {"load_kg=5", "frames=3"}},
      {"lift --set=load_kg=5 " + subject + " --csv " + csv + " --set frames=3",
       {"load_kg=5", "frames=3"}},
      {"--set load_kg=5 lift " + subject + " --set frames=3", {"load_kg=5", "frames=3"}},
      {"--set load_kg=5 frames=3 lift " + subject, {"load_kg=5", "frames=3"}},
      {"lift " + subject + " --set load_kg=5 frames=3 --json " + json, {"load_kg=5", "frames=3"}},
      {"lift --set load_kg=5 --set frames=3 " + subject + " --json " + json + " --csv " + csv,
       {"load_kg=5", "frames=3"}},
  };
  for (const auto& [args, parameters] : cases) {
    fs::remove(json);
    fs::remove(csv);
    const CliRun r = run("simulate " + args, dir_);
    ASSERT_EQ(r.code, 0) << args << ": " << r.err;
    const auto line = r.out.find("  parameters:");
    ASSERT_NE(line, std::string::npos) << args << ": " << r.out;
    const std::string printed = r.out.substr(line, r.out.find('\n', line) - line) + " ";
    for (const auto& p : parameters)
      EXPECT_NE(printed.find(" " + p + " "), std::string::npos) << args << ": " << printed;
    EXPECT_EQ(fs::exists(json), args.find("--json") != std::string::npos) << args;
    EXPECT_EQ(fs::exists(csv), args.find("--csv") != std::string::npos) << args;
  }
  // A subject file whose name has an '=' in it is the subject, not a setting, after a --set:
  // one named .yaml, and an existing file of any name (each given with no folder before its
  // '=', so run from its folder).
  write("a=b.yaml", "height_m: 1.75\nmass_kg: 75\n");
  write("c=d", "height_m: 1.75\nmass_kg: 75\n");
  for (const char* odd : {"a=b.yaml", "c=d"}) {
    const CliRun o = run(std::string("simulate lift --set frames=3 ") + odd, dir_, true);
    EXPECT_EQ(o.code, 0) << odd << ": " << o.err;
    const auto line = o.out.find("  parameters:");
    ASSERT_NE(line, std::string::npos) << odd << ": " << o.out;
    EXPECT_NE((o.out.substr(line, o.out.find('\n', line) - line) + " ").find(" frames=3 "),
              std::string::npos)
        << odd << ": " << o.out;  // the setting before it still applied
  }
  // A --set with nothing after it says so in one line.
  const CliRun last = run("simulate lift " + subject + " --set", dir_);
  EXPECT_EQ(last.code, 2);
  EXPECT_TRUE(one_line(last.err)) << last.err;
  EXPECT_NE(last.err.find("--set: no name=value after it"), std::string::npos) << last.err;
}

TEST_F(CliTest, SimulateStandWritesJsonCsvAndMot) {
  const fs::path subject = write("s.yaml", "height_m: 1.75\nmass_kg: 75\n");
  const fs::path json = dir_ / "r.json", csv = dir_ / "r.csv", mot = dir_ / "r.mot";
  const CliRun r = run("simulate stand " + subject.string() + " --json " + json.string() +
                           " --csv " + csv.string() + " --mot " + mot.string(),
                       dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  ASSERT_TRUE(fs::exists(json));
  ASSERT_TRUE(fs::exists(csv));
  ASSERT_TRUE(fs::exists(mot));
  std::ifstream in(json);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["task"], "stand");
  EXPECT_EQ(j["status"], "ok");
  EXPECT_EQ(j["frames"]["time_s"].size(), 1u);
  EXPECT_FALSE(j.contains("compensation"));  // full capacity: nothing to compare
  EXPECT_NE(r.out.find("L5_S1"), std::string::npos);
  EXPECT_NE(r.out.find("simulation and education tool"), std::string::npos);
  std::ifstream m(mot);
  std::string first, second;
  std::getline(m, first);
  std::getline(m, second);
  EXPECT_EQ(second, "version=1");
  for (const auto& e : fs::directory_iterator(dir_)) {  // no temporary or probe files left
    EXPECT_EQ(e.path().filename().string().find("tmp-pulley"), std::string::npos) << e.path();
    EXPECT_NE(e.path().extension(), ".probe") << e.path();
  }
}

// In a run the lowered hamstrings' own mean forces may rise a little (the group shares its work
// differently); they take over from no one and are listed on their own lines.
TEST_F(CliTest, SimulateListsNoLoweredMuscleAmongThoseThatTakeOver) {
  const fs::path subject = write("inj.yaml",
                                 "height_m: 1.78\nmass_kg: 78\nmuscles:\n  hamstrings:\n    right: "
                                 "{capacity: 0.3}\n");
  const CliRun r =
      run("simulate run " + subject.string() + " --set reserve=on --set frames=21", dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto begin = r.out.find("Muscles that take over");
  const auto end = r.out.find("  lowered: ", begin);
  ASSERT_NE(begin, std::string::npos) << r.out;
  ASSERT_NE(end, std::string::npos) << r.out;
  const std::string taking_over = r.out.substr(begin, end - begin);
  for (const char* lowered : {"semimembranosus_r", "semitendinosus_r", "biceps_femoris_long_r",
                              "biceps_femoris_short_r"}) {
    EXPECT_EQ(taking_over.find(lowered), std::string::npos) << taking_over;
    EXPECT_NE(r.out.find(std::string("  lowered: ") + lowered), std::string::npos) << r.out;
  }
}

TEST_F(CliTest, SimulateWithLoweredCapacityReportsTheMusclesThatTakeOver) {
  const fs::path subject = write(
      "weak.yaml", "height_m: 1.75\nmass_kg: 75\nmuscles:\n  gluteus_maximus: {capacity: 0.2}\n");
  const fs::path json = dir_ / "w.json";
  const CliRun r = run("simulate lift " + subject.string() + " --set frames=3 --set load_kg=5 "
                       "--json " + json.string(),
                       dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("take over"), std::string::npos) << r.out;
  std::ifstream in(json);
  const auto j = nlohmann::json::parse(in);
  ASSERT_TRUE(j.contains("compensation"));
  const auto& muscles = j["compensation"]["muscles"];
  EXPECT_GT(muscles.size(), 10u);
  // Sorted by the rise in mean force; the weakened gluteus maximus is listed with its capacity
  // and its activation stays within it in every frame.
  EXPECT_GE(muscles[0]["change_n"].get<double>(), muscles[1]["change_n"].get<double>());
  bool gluteus_seen = false;
  for (const auto& m : muscles)
    if (m["muscle"] == "gluteus_maximus_r") {
      gluteus_seen = true;
      EXPECT_DOUBLE_EQ(m["capacity"].get<double>(), 0.2);
    }
  EXPECT_TRUE(gluteus_seen);
  // Every lumbar level is compared too, with the task's own peak compression.
  EXPECT_NE(r.out.find("Lumbar levels"), std::string::npos) << r.out;
  const auto& levels = j["compensation"]["lumbar"];
  EXPECT_EQ(levels.size(), 5u);
  EXPECT_DOUBLE_EQ(levels["L5_S1"]["peak_compression_n"].get<double>(),
                   j["summary"]["lumbar"]["L5_S1"]["peak_compression_n"].get<double>());
  for (const auto& a : j["frames"]["muscles"]["gluteus_maximus_r"]["activation"])
    EXPECT_LE(a.get<double>(), 0.2 + 1e-9);
  EXPECT_GT(muscles[0]["change_n"].get<double>(), 0.0);
}

TEST_F(CliTest, SimulateSaysWhereThePostureJumps) {
  const fs::path subject = write(
      "weak.yaml", "height_m: 1.75\nmass_kg: 75\nmuscles:\n  hamstrings: {capacity: 0.05}\n");
  const fs::path json = dir_ / "j.json";
  const CliRun r =
      run("simulate lift " + subject.string() + " --set load_kg=15 --json " + json.string(), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  std::ifstream in(json);
  const auto j = nlohmann::json::parse(in);
  const auto& jumps = j["summary"]["posture_jumps"];
  ASSERT_FALSE(jumps.empty());
  const int frame = jumps[0]["frame"].get<int>();
  EXPECT_DOUBLE_EQ(jumps[0]["pelvis_rotation_deg"][1].get<double>(),
                   j["frames"]["pelvis_rotation_deg"][frame].get<double>());
  EXPECT_NE(r.out.find("Posture jump at frame " + std::to_string(frame)), std::string::npos)
      << r.out;
}

TEST_F(CliTest, AssessPrintsEveryTestAndWritesTheDocumentedJson) {
  const fs::path subject =
      write("s.yaml", "height_m: 1.75\nmass_kg: 75\ntests: {stretch_tolerance_knee_nm: 40}\n");
  const fs::path json = dir_ / "a.json";
  const CliRun r = run("assess " + subject.string() + " --json " + json.string(), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* text :
       {"straight-leg raise", "knee extension", "Thomas", "Nordic", "trunk-extensor endurance",
        "hamstring:quadriceps", "conventional hamstring:quadriceps", "concentric tests at 60 deg/s",
        "simulation and education tool", "knee 40 N m (subject file)"})
    EXPECT_NE(r.out.find(text), std::string::npos) << text << "\n" << r.out;
  std::ifstream in(json);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["task"], "assess");
  EXPECT_EQ(j["status"], "ok");
  for (const char* key :
       {"straight_leg_raise_deg", "passive_knee_extension_deficit_deg",
        "active_knee_extension_deficit_deg", "thomas_hip_extension_deg", "thomas_knee_flexion_deg",
        "knee_flexion_torque_nm_per_kg", "knee_extension_torque_nm_per_kg", "hq_ratio",
        "nordic_force_n", "concentric_knee_flexion_nm_per_kg",
        "concentric_knee_extension_nm_per_kg", "conventional_hq_ratio"})
    for (const char* side : {"right", "left"}) {
      EXPECT_TRUE(j["tests"][key][side].is_number()) << key << " " << side;
      EXPECT_TRUE(j["ends"][key][side].is_string()) << key << " " << side;
    }
  for (const char* key :
       {"trunk_extensor_endurance_s", "standing_pelvic_tilt_deg", "standing_lumbar_lordosis_deg"})
    EXPECT_TRUE(j["tests"][key]["both"].is_number()) << key;
  EXPECT_EQ(j["tests"]["straight_leg_raise_deg"]["right"], j["tests"]["straight_leg_raise_deg"]["left"]);
  EXPECT_EQ(j["protocol"]["stretch_tolerance_knee_nm"], 40.0);
  EXPECT_EQ(j["protocol"]["stretch_tolerance_knee_from"], "subject");
  EXPECT_EQ(j["protocol"]["stretch_tolerance_hip_from"], "default");
  EXPECT_TRUE(j["details"]["nordic"]["eccentric_factor"].is_number());
  EXPECT_EQ(j["protocol"]["isokinetic_speed_deg_s"], 60.0);
  // The concentric range runs from the passive knee extension deficit to 90 deg, the peaks in it.
  const auto& concentric = j["details"]["concentric"];
  EXPECT_EQ(concentric["range_extended_end_knee_flexion_deg"]["right"],
            j["tests"]["passive_knee_extension_deficit_deg"]["right"]);
  for (const char* peak : {"flexion_peak_knee_flexion_deg", "extension_peak_knee_flexion_deg"}) {
    EXPECT_GE(concentric[peak]["left"].get<double>(),
              concentric["range_extended_end_knee_flexion_deg"]["left"].get<double>());
    EXPECT_LE(concentric[peak]["left"].get<double>(), 90.0);
  }
  EXPECT_NE(j["subject"]["file"].get<std::string>().find("stretch_tolerance_knee_nm: 40"),
            std::string::npos);
  EXPECT_EQ(j["calibration"]["status"], "no_measurements");  // the file has none
}

TEST_F(CliTest, AssessFitsMeasurementsAndWritesAFittedSubjectOtherCommandsAccept) {
  const fs::path subject = write(
      "measured.yaml",
      "height_m: 1.75\nmass_kg: 75\nmeasurements:\n  straight_leg_raise_deg: {right: 58, left: 66}\n"
      "  knee_flexion_torque_nm_per_kg: 1.5\nsigns: [back_of_thigh_fatigue]\n");
  const fs::path json = dir_ / "measured.json", fitted = dir_ / "fitted.yaml";
  const CliRun r = run("assess " + subject.string() + " --json " + json.string() +
                           " --fitted-subject " + fitted.string(),
                       dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Calibration"), std::string::npos);
  std::ifstream in(json);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["calibration"]["status"], "fitted");
  EXPECT_EQ(j["calibration"]["residuals"].size(), 4u);  // two raises, flexion on both legs
  // The raises end at the hip tolerance, which the fit moved; no measurement sees the knee's.
  EXPECT_EQ(j["protocol"]["stretch_tolerance_hip_from"], "calibration");
  EXPECT_EQ(j["protocol"]["stretch_tolerance_knee_from"], "default");
  EXPECT_NE(r.out.find("N m (fitted"), std::string::npos) << r.out;
  for (const auto& p : j["calibration"]["parameters"]) {
    EXPECT_TRUE(p["value"].is_number());
    EXPECT_TRUE(p["sd"].is_number());
    EXPECT_TRUE(p["determined"].is_boolean());
  }
  // The findings compare the fitted subject's tests with the measurements, and say whose
  // factors they are; the subject echoed is the file as read.
  EXPECT_EQ(j["findings"]["factors_fitted"], true);
  int measured = 0;
  for (const auto& t : j["findings"]["tests"])
    if (!t["measured"].is_null()) {
      ++measured;
      EXPECT_NE(t["measured_vs_norm"], "not_compared") << t.dump();
    }
  EXPECT_EQ(measured, 4);
  EXPECT_NE(j["subject"]["file"].get<std::string>().find("measurements:"), std::string::npos);
  EXPECT_NE(r.out.find("Measured passive straight-leg raise (right): 58.0 deg"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("The calibrated subject (fitted to the measurements"), std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("The subject file describes"), std::string::npos) << r.out;
  // The fitted subject is a subject file: standing accepts it, and the assessment of it has
  // nothing left to fit. Its first line names the fitted factors the assessment held to the
  // norms (the knee flexion of 1.5 N m/kg lies within 1.15-1.62).
  ASSERT_FALSE(j["findings"]["imbalance"][0]["held_to_norms"].empty());
  {
    std::ifstream written(fitted);
    std::string first;
    std::getline(written, first);
    EXPECT_EQ(first.rfind("# Fitted to the measurements of " + subject.string(), 0), 0u) << first;
    EXPECT_NE(first.find("hamstrings right strength"), std::string::npos) << first;
  }
  EXPECT_EQ(run("stand " + fitted.string(), dir_).code, 0);
  const CliRun again = run("assess " + fitted.string(), dir_);
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_NE(again.out.find("Calibration (docs/assessment.md): no measurements\n"),
            std::string::npos)
      << again.out;
  const CliRun bad = run("assess " + subject.string() + " --fitted-subject " +
                             (dir_ / "no_such_folder" / "f.yaml").string(),
                         dir_);
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("no_such_folder"), std::string::npos);
}

// The clinic's protocol in the subject file: the tests, the typical subject's and the fit follow
// it, and the fitted subject file keeps it.
TEST_F(CliTest, AssessTestsAsTheSubjectFilesProtocolSays) {
  const fs::path subject =
      write("clinic.yaml",
            "height_m: 1.75\nmass_kg: 75\ntests:\n  isokinetic_speed_deg_s: 180\n"
            "  isometric_knee_flexion_deg: 90\n  trunk_endurance_limit_s: 30\n"
            "measurements:\n  concentric_knee_flexion_nm_per_kg: 1.5\n");
  const fs::path json = dir_ / "clinic.json", fitted = dir_ / "clinic_fitted.yaml",
                 report = dir_ / "clinic.html";
  const CliRun r = run("assess " + subject.string() + " --json " + json.string() +
                           " --fitted-subject " + fitted.string() + " --report " + report.string(),
                       dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* text :
       {"concentric tests at 180 deg/s", "trunk upright, hip at 90 deg, knee at 90 deg",
        "held to the test's limit, 30 s", "lowered at 30 deg/s"})
    EXPECT_NE(r.out.find(text), std::string::npos) << text << "\n" << r.out;
  std::ifstream in(json);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["protocol"]["isokinetic_speed_deg_s"], 180.0);
  EXPECT_EQ(j["protocol"]["isometric_knee_flexion_deg"], 90.0);
  EXPECT_EQ(j["protocol"]["trunk_endurance_limit_s"], 30.0);
  // Where each setting came from: the three the file sets, and the defaults of the other two.
  for (const char* key :
       {"isokinetic_speed_from", "isometric_knee_flexion_from", "trunk_endurance_limit_from"})
    EXPECT_EQ(j["protocol"][key], "subject") << key;
  for (const char* key : {"isometric_hip_flexion_from", "nordic_lowering_speed_from"})
    EXPECT_EQ(j["protocol"][key], "default") << key;
  EXPECT_EQ(j["calibration"]["status"], "fitted");
  const std::string text = read(fitted);
  EXPECT_NE(text.find("isokinetic_speed_deg_s: 180"), std::string::npos) << text;
  const std::string html = read(report);
  for (const char* said :
       {"the isometric ones at 90 deg of knee flexion", "the concentric ones at 180 deg/s",
        "trunk hold stopped at 30 s", "Concentric tests at 180 deg/s",
        "Set by the subject file: isometric knee flexion 90 deg, isokinetic speed 180 deg/s, "
        "trunk endurance limit 30 s; the defaults elsewhere."})
    EXPECT_NE(html.find(said), std::string::npos) << said;
  // People's conventional ratio was published at 60 deg/s: not set beside one at 180.
  EXPECT_EQ(html.find("about 0.6"), std::string::npos);
}

// A Nordic lowered faster than its published threshold's protocol: the report's gauge shows no
// risk zone and the threshold is not cited.
TEST_F(CliTest, AssessReportDrawsTheNordicRiskZoneOnlyForItsProtocol) {
  const auto report_of = [&](const std::string& name, const std::string& tests) {
    const fs::path subject = write(name + ".yaml", "height_m: 1.75\nmass_kg: 75\n" + tests);
    const fs::path report = dir_ / (name + ".html");
    const CliRun r = run("assess " + subject.string() + " --report " + report.string(), dir_);
    EXPECT_EQ(r.code, 0) << r.err;
    return read(report);
  };
  const std::string usual = report_of("usual", "");
  EXPECT_NE(usual.find("risk below 256 N"), std::string::npos);
  EXPECT_NE(usual.find("(Opar et al. 2015)"), std::string::npos);
  EXPECT_NE(usual.find("Every setting is the default."), std::string::npos);
  const std::string fast = report_of("fast", "tests: {nordic_lowering_speed_deg_s: 90}\n");
  EXPECT_EQ(fast.find("risk below"), std::string::npos);
  EXPECT_EQ(fast.find("Opar"), std::string::npos);
  EXPECT_NE(fast.find("no published threshold"), std::string::npos);
}

TEST_F(CliTest, AssessBadInputGivesOneLineExitTwoAndNoFile) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"tolerance.yaml", "height_m: 1.75\nmass_kg: 75\ntests: {stretch_tolerance_hip_nm: 1000}\n"},
      {"key.yaml", "height_m: 1.75\nmass_kg: 75\ntests: {slr_nm: 60}\n"},
      {"mass.yaml", "height_m: 1.75\nmass_kg: -75\n"},
      {"measured.yaml",
       "height_m: 1.75\nmass_kg: 75\nmeasurements: {straight_leg_raise_deg: 200}\n"},
      {"measurement_key.yaml", "height_m: 1.75\nmass_kg: 75\nmeasurements: {slr_deg: 60}\n"},
      {"speed.yaml", "height_m: 1.75\nmass_kg: 75\ntests: {isokinetic_speed_deg_s: 0}\n"},
      {"hold.yaml",
       "height_m: 1.75\nmass_kg: 75\ntests: {trunk_endurance_limit_s: 120}\n"
       "measurements: {trunk_extensor_endurance_s: 150}\n"},
  };
  for (const auto& [name, text] : cases) {
    const fs::path subject = write(name, text);
    const fs::path json = dir_ / (name + ".json");
    const CliRun r = run("assess " + subject.string() + " --json " + json.string(), dir_);
    EXPECT_EQ(r.code, 2) << name << ": " << r.err;
    EXPECT_FALSE(fs::exists(json)) << name;
    ASSERT_FALSE(r.err.empty()) << name;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << name << ": " << r.err;
    EXPECT_NE(r.err.find(name), std::string::npos) << name << ": " << r.err;
    EXPECT_NE(r.err.find("allowed"), std::string::npos) << name << ": " << r.err;
  }
  EXPECT_EQ(run("assess", dir_).code, 2);  // no subject
  EXPECT_EQ(run("assess " + (dir_ / "missing.yaml").string(), dir_).code, 2);
  const CliRun bad_dir = run("assess " + write("ok.yaml", "height_m: 1.75\nmass_kg: 75\n").string() +
                                 " --json " + (dir_ / "no_such_folder" / "a.json").string(),
                             dir_);
  EXPECT_EQ(bad_dir.code, 2);
  EXPECT_NE(bad_dir.err.find("no_such_folder"), std::string::npos);
  EXPECT_EQ(run("assess --help", dir_).code, 0);
}

}  // namespace

namespace {

TEST_F(CliTest, TrainWritesTheWeeksWithTheDocumentedKeys) {
  const CliRun r = train("weeks: 2\nexercises:\n  - {name: nordic_hamstring, sessions_per_week: 2}\n");
  const fs::path json = dir_ / "t.json";
  ASSERT_EQ(r.code, 0) << r.err;
  std::ifstream in(json);
  const auto j = nlohmann::json::parse(in);
  ASSERT_EQ(j["weeks"].size(), 3u);  // weeks 0, 1 and 2
  const auto& w = j["weeks"][2];
  EXPECT_EQ(w["week"], 2);
  EXPECT_TRUE(w["tests"]["nordic_force_n"]["right"].is_number());
  EXPECT_TRUE(w["posture"]["pelvic_tilt_deg"].is_number());
  EXPECT_TRUE(w["bend"]["peak_l4_l5_pressure_mpa"].is_number());
  EXPECT_TRUE(w["hamstring_strain_index"].is_number());
  const auto& bflh = w["muscles"]["biceps_femoris_long_r"];
  for (const char* key : {"max_isometric_force_n", "optimal_fibre_length_m",
                          "passive_stiffness_factor", "stretch_tolerance_nm"})
    EXPECT_TRUE(bflh[key].is_number()) << key;
  EXPECT_GT(bflh["optimal_fibre_length_m"].get<double>(),
            j["weeks"][0]["muscles"]["biceps_femoris_long_r"]["optimal_fibre_length_m"].get<double>());
  EXPECT_TRUE(w["muscles"]["vasti_r"]["stretch_tolerance_nm"].is_null());
  EXPECT_EQ(j["protocol"]["nordic_lowering_speed_deg_s"], 30.0);  // the default protocol
  EXPECT_EQ(j["protocol"]["nordic_lowering_speed_from"], "default");
  EXPECT_EQ(j["protocol"]["isometric_knee_flexion_deg"], 60.0);
  // Week 0 is the subject as the file gives it: there is nothing to calibrate to.
  EXPECT_EQ(j["calibration"]["status"], "no_measurements") << j["calibration"].dump();
}

// pulley train prints the programme it runs: each entry's dose with its progressions (the
// reports' wording) and its minutes a week from the first week to the last.
TEST_F(CliTest, TrainPrintsTheProgrammeWithItsProgressionsAndMinutes) {
  const CliRun r = train(
      "weeks: 3\nexercises:\n  - name: seated_hamstring_stretch\n    hold_s: 20\n"
      "    progression: {hold_s_per_week: 10}\n  - {name: bridge, side: left}\n");
  ASSERT_EQ(r.code, 0) << r.err;
  const std::regex stretch(
      "\nThe programme:\n  weeks  1-3  seated_hamstring_stretch +1 x 20 s \\(\\+10 s a "
      "week\\); 5 a week, ([0-9]+)-([0-9]+) min/wk\n");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, stretch)) << r.out;
  EXPECT_LT(std::stoi(m[1]), std::stoi(m[2]));
  EXPECT_TRUE(std::regex_search(
      r.out, std::regex("\n  weeks  1-3  bridge +3 x 12, effort 0.4, left leg; 3 a week, [0-9]+ "
                        "min/wk\n")))
      << r.out;
}

// The weekly tests follow the subject file's protocol, and the JSON says which settings it set.
TEST_F(CliTest, TrainSaysWhichProtocolSettingsTheSubjectFileSet) {
  const fs::path subject = write(
      "clinic.yaml", "height_m: 1.75\nmass_kg: 75\ntests:\n  nordic_lowering_speed_deg_s: 20\n");
  const fs::path programme =
      write("p.yaml", "weeks: 1\nexercises:\n  - {name: nordic_hamstring, sessions_per_week: 2}\n");
  const fs::path json = dir_ / "clinic.json";
  const CliRun r = run(
      "train " + subject.string() + " " + programme.string() + " --json " + json.string(), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  std::ifstream in(json);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["protocol"]["nordic_lowering_speed_deg_s"], 20.0);
  EXPECT_EQ(j["protocol"]["nordic_lowering_speed_from"], "subject");
  for (const char* key : {"isometric_knee_flexion_from", "isometric_hip_flexion_from",
                          "isokinetic_speed_from", "trunk_endurance_limit_from"})
    EXPECT_EQ(j["protocol"][key], "default") << key;
  EXPECT_NE(r.out.find("(tests by the subject file's protocol: nordic lowering speed 20 deg/s; "
                       "the defaults elsewhere)"),
            std::string::npos)
      << r.out;
}

TEST_F(CliTest, TrainRejectsAnImpossibleScheduleInOneLineAndWritesNothing) {
  const CliRun r = train("weeks: 4\nexercises:\n  - {name: bridge, sessions_per_week: 63}\n");
  const fs::path json = dir_ / "t.json";
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("sessions_per_week"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_FALSE(fs::exists(json));
  const CliRun list = run("exercises --json", dir_);
  ASSERT_EQ(list.code, 0);
  EXPECT_EQ(nlohmann::json::parse(list.out)["exercises"].size(), 16u);
}

TEST_F(CliTest, PlanWritesItsJsonReportAndAProgrammeTrainRunsAgain) {
  const fs::path subject = write(
      "s.yaml",
      "height_m: 1.75\nmass_kg: 75\nmuscles:\n  hamstrings: {length: 0.95}\n"
      "  quadriceps: {strength: 0.6}\nconstraints: {equipment: [ankle_weight]}\n");
  const fs::path json = dir_ / "plan.json", html = dir_ / "plan.html", yaml = dir_ / "plan.yaml";
  const CliRun r = run("plan " + subject.string() + " --weeks 4 --start 2026-12-01 --json " +
                           json.string() + " --report " + html.string() + " --programme " +
                           yaml.string(),
                       dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Re-tests"), std::string::npos);
  // The programme's entries with their doses, their steps and targets in words.
  EXPECT_NE(r.out.find("\n      release and stretch: hamstrings tight, both sides\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\n  quadriceps weak (both): "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("release_and_stretch"), std::string::npos) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\n  weeks  3-4  quadriceps_strengthening +3 x "
                                                  "10, effort 0.7; 2 a week, "
                                                  "[0-9]+ min/wk\n")))
      << r.out;
  const auto j = nlohmann::json::parse(read(json));
  EXPECT_EQ(j["weeks"], 4);
  ASSERT_FALSE(j["targets"].empty());
  EXPECT_EQ(j["plan"]["weeks"].size(), 5u);
  for (const char* key : {"week", "tests", "posture", "muscles", "hamstring_strain_index"})
    EXPECT_TRUE(j["plan"]["weeks"][0].contains(key)) << key;
  EXPECT_FALSE(j["alternatives"].empty());
  const std::string report = read(html);
  EXPECT_NE(report.find("Proposed plan"), std::string::npos);
  EXPECT_NE(report.find("class=\"figure chart\""), std::string::npos);
  EXPECT_NE(report.find("Re-test dates"), std::string::npos);
  // The proposed programme runs in pulley train, which gives the same weeks.
  const fs::path train_json = dir_ / "train.json";
  const CliRun t = run("train " + subject.string() + " " + yaml.string() + " --json " +
                           train_json.string() + " --report " + (dir_ / "t.html").string(),
                       dir_);
  ASSERT_EQ(t.code, 0) << t.err;
  const auto tj = nlohmann::json::parse(read(train_json));
  EXPECT_EQ(tj["weeks"].back()["tests"], j["plan"]["weeks"].back()["tests"]);
  EXPECT_NE(read(dir_ / "t.html").find("Training programme: plan.yaml"), std::string::npos);
}

// A measured subject: pulley plan calibrates it before planning, and so does pulley train, so the
// plan's programme runs to the plan's weeks; the report and JSON compare the measurements.
TEST_F(CliTest, TrainCalibratesAMeasuredSubjectAsPlanDoes) {
  const fs::path subject = write("measured.yaml",
                                 "height_m: 1.75\nmass_kg: 75\nmeasurements:\n  "
                                 "straight_leg_raise_deg: {right: 52, left: 60}\n");
  const fs::path json = dir_ / "plan.json", yaml = dir_ / "plan.yaml";
  const CliRun r = run("plan " + subject.string() + " --weeks 2 --json " + json.string() +
                           " --programme " + yaml.string(),
                       dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(read(json));
  const fs::path train_json = dir_ / "train.json", html = dir_ / "t.html";
  const CliRun t = run("train " + subject.string() + " " + yaml.string() + " --json " +
                           train_json.string() + " --report " + html.string(),
                       dir_);
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.out.find("Calibrated to the subject file's 2 measurements"), std::string::npos)
      << t.out;
  const auto tj = nlohmann::json::parse(read(train_json));
  // The JSON says that week 0 is the subject fitted to its measurements, as pulley assess's does.
  EXPECT_EQ(tj["calibration"]["status"], "fitted") << tj["calibration"].dump();
  EXPECT_FALSE(tj["calibration"]["message"].get<std::string>().empty());
  const auto& week0 = tj["weeks"].front()["tests"]["straight_leg_raise_deg"];
  EXPECT_NEAR(week0["right"].get<double>(), 52.0, 3.0);  // the fitted subject, not the typical 71
  EXPECT_EQ(tj["weeks"].front()["tests"], j["plan"]["weeks"].front()["tests"]);
  EXPECT_EQ(tj["weeks"].back()["tests"], j["plan"]["weeks"].back()["tests"]);
  const std::string report = read(html);
  EXPECT_NE(report.find("Measured against simulated"), std::string::npos);
}

// A man measured at the published mean of knee flexion is fitted with weaker hamstrings, which
// his assessment holds to the norms and leaves out of his bend and run; pulley plan and pulley
// train start their weeks' bend and strain index from the assessment's, not from the fit's.
TEST_F(CliTest, TrainAndPlanStartFromTheAssessmentsLoads) {
  const fs::path subject = write("means.yaml",
                                 "height_m: 1.75\nmass_kg: 75\nmeasurements:\n  "
                                 "knee_flexion_torque_nm_per_kg: 1.39\n");
  const fs::path assessed = dir_ / "a.json", planned = dir_ / "p.json", yaml = dir_ / "p.yaml",
                 trained = dir_ / "t.json";
  ASSERT_EQ(run("assess " + subject.string() + " --json " + assessed.string(), dir_).code, 0);
  const CliRun p = run("plan " + subject.string() + " --weeks 2 --json " + planned.string() +
                           " --programme " + yaml.string(),
                       dir_);
  ASSERT_EQ(p.code, 0) << p.err;
  const CliRun t =
      run("train " + subject.string() + " " + yaml.string() + " --json " + trained.string(), dir_);
  ASSERT_EQ(t.code, 0) << t.err;
  const auto a = nlohmann::json::parse(read(assessed));
  const auto pj = nlohmann::json::parse(read(planned));
  const auto tj = nlohmann::json::parse(read(trained));
  ASSERT_FALSE(a["findings"]["imbalance"][0]["held_to_norms"].empty()) << a["findings"].dump();
  const double strain = a["findings"]["strain"]["relative_strain_index"].get<double>();
  EXPECT_NEAR(strain, 1.0, 0.05);
  EXPECT_EQ(tj["loads_on_findings_factors"], true);
  EXPECT_EQ(pj["plan"]["loads_on_findings_factors"], true);
  EXPECT_NEAR(tj["weeks"][0]["hamstring_strain_index"].get<double>(), strain, 1e-9);
  EXPECT_NEAR(pj["plan"]["weeks"][0]["hamstring_strain_index"].get<double>(), strain, 1e-9);
  for (const CliRun* out : {&t, &p})
    EXPECT_NE(out->out.find("The bend and the hamstring strain index start from the assessment's"),
              std::string::npos)
        << out->out;
  // The tests stay the fitted subject's: week 0's knee flexion is the measurement's fit (1.42;
  // the typical man's 2.11).
  EXPECT_NEAR(tj["weeks"][0]["tests"]["knee_flexion_torque_nm_per_kg"]["right"].get<double>(), 1.39,
              0.1);
}

// A programme file's key the exercise does not use is refused with its line, exit code 2 and no
// output file.
TEST_F(CliTest, TrainRefusesAKeyTheExerciseDoesNotUseNamingItsLine) {
  const CliRun r = train(
      "weeks: 4\nexercises:\n  - name: bridge\n  - name: seated_hamstring_stretch\n"
      "    progression: {reps_per_week: 1}\n");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(one_line(r.err)) << r.err;
  EXPECT_NE(r.err.find("p.yaml: line 5: key 'exercises[1].progression.reps_per_week'"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("allowed: hold_s_per_week"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "t.json"));
}

// The re-tests the printout lists are in the JSON of pulley train as of pulley plan, each with
// the date the printout gives it (--start plus 7 days a week), null without --start; after a
// strain, with the notes of the tests held back.
TEST_F(CliTest, TrainAndPlanJsonCarryTheRetestsWithTheirDates) {
  const fs::path subject =
      write("s.yaml",
            "height_m: 1.75\nmass_kg: 75\nmuscles:\n  hamstrings:\n    right: {capacity: 0.3}\n"
            "constraints: {injured_side: right, equipment: [partner]}\n");
  const fs::path programme =
      write("p.yaml",
            "weeks: 4\nexercises:\n  - {name: nordic_hamstring, from_week: 3}\n"
            "  - {name: seated_hamstring_stretch}\n");
  const fs::path json = dir_ / "t.json";
  const CliRun t = run("train " + subject.string() + " " + programme.string() +
                           " --start 2025-01-06 --json " + json.string(),
                       dir_);
  ASSERT_EQ(t.code, 0) << t.err;
  const auto tj = nlohmann::json::parse(read(json));
  ASSERT_TRUE(tj["retests"].is_array());
  ASSERT_FALSE(tj["retests"].empty()) << t.out;
  for (const auto& x : tj["retests"]) {
    const std::string line =
        fmt::format("week {:>2} ({})", x["week"].get<int>(), x["date"].get<std::string>());
    EXPECT_NE(t.out.find(line), std::string::npos) << line << "\n" << t.out;
    for (const char* key : {"test", "side", "week_0", "predicted", "detectable_difference",
                            "week_0_at_start", "predicted_at_start", "why"})
      EXPECT_TRUE(x.contains(key)) << key;
    // The right knee flexion and the Nordic wait for the Nordic exercise in week 3.
    if (x["test"] == "nordic_force_n" ||
        (x["test"] == "knee_flexion_torque_nm_per_kg" && x["side"] == "right"))
      EXPECT_GE(x["week"].get<int>(), 3) << x.dump();
  }
  EXPECT_EQ(tj["retests"][0]["date"].get<std::string>().substr(0, 5), "2025-");
  ASSERT_FALSE(tj["retest_notes"].empty());
  for (const auto& n : tj["retest_notes"])
    EXPECT_NE(t.out.find(n.get<std::string>()), std::string::npos) << n;
  EXPECT_NE(tj["retest_notes"].dump().find("re-tested from week 3, not before"), std::string::npos)
      << tj["retest_notes"].dump();
  // Without --start: the same re-tests, undated.
  const CliRun u = run(
      "train " + subject.string() + " " + programme.string() + " --json " + json.string(), dir_);
  ASSERT_EQ(u.code, 0) << u.err;
  const auto uj = nlohmann::json::parse(read(json));
  ASSERT_EQ(uj["retests"].size(), tj["retests"].size());
  for (const auto& x : uj["retests"]) EXPECT_TRUE(x["date"].is_null()) << x.dump();
  // pulley plan's re-tests are dated likewise.
  const fs::path plan_json = dir_ / "plan.json";
  const CliRun p =
      run("plan " + subject.string() + " --weeks 6 --start 2025-01-06 --json " + plan_json.string(),
          dir_);
  ASSERT_EQ(p.code, 0) << p.err;
  const auto pj = nlohmann::json::parse(read(plan_json));
  ASSERT_FALSE(pj["plan"]["retests"].empty());
  for (const auto& x : pj["plan"]["retests"]) {
    const std::string line =
        fmt::format("week {:>2} ({})", x["week"].get<int>(), x["date"].get<std::string>());
    EXPECT_NE(p.out.find(line), std::string::npos) << line;
  }
}

TEST_F(CliTest, PlanRejectsABadDateOrWeeksInOneLineAndWritesNothing) {
  const fs::path subject = write("s.yaml", "height_m: 1.75\nmass_kg: 75\n");
  const fs::path json = dir_ / "plan.json";
  for (const std::string bad : {"--start 2026-02-30", "--weeks 60", "--start tomorrow"}) {
    const CliRun r = run("plan " + subject.string() + " " + bad + " --json " + json.string(), dir_);
    EXPECT_EQ(r.code, 2) << bad;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(bad.substr(0, bad.find(' '))), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(json));
  }
}

}  // namespace

TEST_F(CliTest, TextThatIsNotUtf8IsRefusedNamingItsLineAndByte) {
  const fs::path json = dir_ / "s.json";
  const fs::path bad = write("bad.yaml", "height_m: 1.75\nmass_kg: 75\nname: \"\xc3\x28 x\"\n");
  const CliRun r = run("stand " + bad.string() + " --json " + json.string(), dir_);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_TRUE(one_line(r.err)) << r.err;
  EXPECT_NE(r.err.find("bad.yaml: line 3: byte 0xc3"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(json));
  // A C1 control character (U+0085) in the name is refused too; other UTF-8 text is a name.
  const fs::path c1 = write("c1.yaml", "height_m: 1.75\nmass_kg: 75\nname: \"a\xc2\x85" "b\"\n");
  const CliRun control = run("stand " + c1.string(), dir_);
  EXPECT_EQ(control.code, 2) << control.err;
  EXPECT_NE(control.err.find("\\xc2\\x85"), std::string::npos) << control.err;
  const fs::path ok = write("ok.yaml", "height_m: 1.75\nmass_kg: 75\nname: \"Zo\xc3\xab\"\n");
  const CliRun named = run("stand " + ok.string() + " --json " + json.string(), dir_);
  EXPECT_EQ(named.code, 0) << named.err;
  EXPECT_EQ(nlohmann::json::parse(read(json))["subject"]["name"], "Zo\xc3\xab");
}

TEST_F(CliTest, OutputsMustBeNamedAndDistinct) {
  const fs::path subject = write("s.yaml", "height_m: 1.75\nmass_kg: 75\n");
  const CliRun empty = run("stand " + subject.string() + " --json ''", dir_);
  EXPECT_EQ(empty.code, 2) << empty.err;
  EXPECT_TRUE(one_line(empty.err)) << empty.err;
  EXPECT_NE(empty.err.find("--json"), std::string::npos) << empty.err;
  const fs::path same = dir_ / "a.out";
  const CliRun twice = run("simulate forward-bend " + subject.string() +
                               " --set frames=3 --json " + same.string() + " --csv " +
                               (dir_ / "." / "a.out").string(),
                           dir_);
  EXPECT_EQ(twice.code, 2) << twice.err;
  EXPECT_TRUE(one_line(twice.err)) << twice.err;
  EXPECT_NE(twice.err.find("the same file as --json"), std::string::npos) << twice.err;
  EXPECT_FALSE(fs::exists(same));
  // No output replaces a file the command reads: the subject file, a programme file.
  const std::string before = read(subject);
  const CliRun over = run("stand " + subject.string() + " --json " + subject.string(), dir_);
  EXPECT_EQ(over.code, 2) << over.err;
  EXPECT_TRUE(one_line(over.err)) << over.err;
  EXPECT_NE(over.err.find("the same file as the subject file read"), std::string::npos) << over.err;
  EXPECT_EQ(read(subject), before);
  const fs::path hard_link = dir_ / "also_s.yaml";
  fs::create_hard_link(subject, hard_link);
  const CliRun linked = run("stand " + subject.string() + " --json " + hard_link.string(), dir_);
  EXPECT_EQ(linked.code, 2) << linked.err;
  EXPECT_EQ(read(subject), before);
  const fs::path programme =
      write("p.yaml", "weeks: 1\nexercises:\n  - {name: seated_hamstring_stretch}\n");
  const CliRun train = run("train " + subject.string() + " " + programme.string() + " --report " +
                               (dir_ / "." / "p.yaml").string(),
                           dir_);
  EXPECT_EQ(train.code, 2) << train.err;
  EXPECT_NE(train.err.find("--report"), std::string::npos) << train.err;
  EXPECT_NE(train.err.find("the programme file read"), std::string::npos) << train.err;
  EXPECT_EQ(read(programme), "weeks: 1\nexercises:\n  - {name: seated_hamstring_stretch}\n");
}

TEST_F(CliTest, OutputsGoThroughLinksAndIntoDevices) {
  const fs::path subject = write("s.yaml", "height_m: 1.75\nmass_kg: 75\n");
  const fs::path target = write("target.json", "old");
  const fs::path link = dir_ / "link.json";
  fs::create_symlink(target.filename(), link);
  const CliRun linked = run("stand " + subject.string() + " --json " + link.string(), dir_);
  EXPECT_EQ(linked.code, 0) << linked.err;
  EXPECT_TRUE(fs::is_symlink(link));  // the link is kept; the file it names is written
  EXPECT_NO_THROW(nlohmann::json::parse(read(target)));
  const CliRun device = run("stand " + subject.string() + " --json /dev/null", dir_);
  EXPECT_EQ(device.code, 0) << device.err;
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
  EXPECT_FALSE(fs::exists("/dev/null.tmp-pulley"));
  // Written into, not replaced: two outputs may share a device.
  const CliRun both = run("simulate forward-bend " + subject.string() +
                              " --set frames=3 --json /dev/null --csv /dev/null",
                          dir_);
  EXPECT_EQ(both.code, 0) << both.err;
}

TEST_F(CliTest, AFailedAssessmentWritesItsJsonOnlyAndTrainRefusesASubjectThatCannotStand) {
  // Every muscle without voluntary drive: quiet standing cannot be held.
  std::string muscles = "muscles:\n";
  for (const char* group : {"hamstrings", "quadriceps", "hip_flexors", "gluteals", "adductors",
                            "erector_spinae", "abdominals", "calves", "tibialis_anterior"})
    muscles += std::string("  ") + group + ": {capacity: 0}\n";
  const fs::path subject = write("s.yaml", "height_m: 1.75\nmass_kg: 75\n" + muscles);
  const fs::path json = dir_ / "a.json", report = dir_ / "a.html", fitted = dir_ / "f.yaml";
  const CliRun assess = run("assess " + subject.string() + " --json " + json.string() +
                                " --report " + report.string() + " --fitted-subject " +
                                fitted.string(),
                            dir_);
  EXPECT_EQ(assess.code, 1) << assess.err;
  EXPECT_TRUE(fs::exists(json));
  EXPECT_FALSE(fs::exists(report));
  EXPECT_FALSE(fs::exists(fitted));
  // stand says why on one line, writes its JSON with the solver's status and prints no loads.
  const fs::path posture = dir_ / "s.json";
  const CliRun stand = run("stand " + subject.string() + " --json " + posture.string(), dir_);
  EXPECT_EQ(stand.code, 1);
  EXPECT_TRUE(one_line(stand.err)) << stand.err;
  EXPECT_NE(stand.err.find("quiet standing did not solve: "), std::string::npos) << stand.err;
  EXPECT_NE(nlohmann::json::parse(read(posture))["solver"]["status"], "converged");
  EXPECT_NE(stand.out.find("not an equilibrium"), std::string::npos);
  EXPECT_EQ(stand.out.find("Lumbar discs"), std::string::npos);
  // A task whose reference, quiet standing, fails is not told to rerun with a reserve.
  const CliRun sit = run("simulate sit " + subject.string(), dir_);
  EXPECT_EQ(sit.code, 1);
  EXPECT_TRUE(one_line(sit.err)) << sit.err;
  EXPECT_NE(sit.err.find("quiet standing, the reference of every task"), std::string::npos);
  EXPECT_EQ(sit.err.find("reserve"), std::string::npos) << sit.err;
  const fs::path programme =
      write("p.yaml", "weeks: 2\nexercises:\n  - {name: nordic_hamstring, sessions_per_week: 2}\n");
  const fs::path weeks = dir_ / "t.json";
  const CliRun train = run("train " + subject.string() + " " + programme.string() + " --json " +
                               weeks.string(),
                           dir_);
  EXPECT_EQ(train.code, 1) << train.err;
  EXPECT_TRUE(one_line(train.err)) << train.err;
  EXPECT_NE(train.err.find("week 0: quiet standing"), std::string::npos) << train.err;
  EXPECT_FALSE(fs::exists(weeks));
}

TEST_F(CliTest, ANordicWhoseKneelingStartCannotBeHeldSaysSo) {
  // Hip flexors a fifth short: their pull beats the hip extensors in upright kneeling.
  const fs::path subject = write(
      "s.yaml", "height_m: 1.75\nmass_kg: 75\nmuscles:\n  hip_flexors: {length: 0.8}\n");
  const CliRun r = run("assess " + subject.string(), dir_);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Nordic not computed: the muscles cannot hold its upright kneeling start"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("held to the floor"), std::string::npos) << r.out;
}

TEST_F(CliTest, StrengthTestsBeyondTheKneesPassiveRangeSaySo) {
  // Hamstrings tight enough that the knee stops 77 deg short of straight with the hip at 90 deg:
  // the seated tests at 60 deg are out of reach, the concentric range (77-90 deg) is not.
  const fs::path subject =
      write("s.yaml",
            "height_m: 1.75\nmass_kg: 75\nmuscles:\n  hamstrings: {length: 0.95, stiffness: 2}\n");
  const fs::path out = dir_ / "a.json";
  const CliRun r = run("assess " + subject.string() + " --json " + out.string(), dir_);
  EXPECT_EQ(r.code, 0) << r.err;
  const auto line = [&](const std::string& label) {
    const auto at = r.out.find(label);
    return at == std::string::npos ? std::string() : r.out.substr(at, r.out.find('\n', at) - at);
  };
  EXPECT_NE(line("isometric knee extension (N m/kg)").find("not testable"), std::string::npos)
      << r.out;
  EXPECT_NE(line("concentric knee extension, peak").find("maximal effort"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("no person could be placed there"), std::string::npos) << r.out;
  const nlohmann::json j = nlohmann::json::parse(read(out));
  EXPECT_EQ(j["ends"]["knee_extension_torque_nm_per_kg"]["right"], "beyond_passive_range");
  EXPECT_TRUE(j["tests"]["knee_extension_torque_nm_per_kg"]["right"].is_number());
  // The printout gives no value for it ("-"), the JSON keeps it.
  const std::string extension = line("isometric knee extension (N m/kg)");
  EXPECT_TRUE(std::regex_search(extension, std::regex("\\) +- +- +not testable"))) << extension;
  EXPECT_EQ(extension.find(fmt::format(
                "{:.2f}", j["tests"]["knee_extension_torque_nm_per_kg"]["right"].get<double>())),
            std::string::npos)
      << extension;
  EXPECT_NE(r.out.find("the JSON keeps the model's value there"), std::string::npos);
  // The typical subject's tests are all within reach.
  const fs::path typical = write("t.yaml", "height_m: 1.75\nmass_kg: 75\n");
  const CliRun t = run("assess " + typical.string(), dir_);
  EXPECT_EQ(t.out.find("not testable"), std::string::npos) << t.out;
}

// pulley train's weekly table and pulley plan's comparison give no value out of the subject's
// reach: "-*" in the table's narrow columns, "not testable*" in the comparison, the mark
// explained under each; the JSON keeps the values.
TEST_F(CliTest, TrainAndPlanPrintValuesOutOfReachAsNotTestable) {
  const fs::path subject =
      write("s.yaml",
            "height_m: 1.75\nmass_kg: 75\nmuscles:\n  hamstrings: {length: 0.97, stiffness: 2}\n"
            "constraints: {equipment: [foam_roller, ankle_weight]}\n");
  const fs::path programme =
      write("p.yaml", "weeks: 1\nexercises:\n  - {name: seated_hamstring_stretch}\n");
  const fs::path json = dir_ / "t.json";
  const CliRun t = run(
      "train " + subject.string() + " " + programme.string() + " --json " + json.string(), dir_);
  ASSERT_EQ(t.code, 0) << t.err;
  const auto j = nlohmann::json::parse(read(json));
  const auto& week0 = j["weeks"][0];
  ASSERT_EQ(week0["ends"]["knee_extension_torque_nm_per_kg"]["right"], "beyond_passive_range")
      << week0["ends"].dump();
  const double value = week0["tests"]["knee_extension_torque_nm_per_kg"]["right"].get<double>();
  std::smatch m;
  ASSERT_TRUE(std::regex_search(t.out, m,
                                std::regex("\n   0 +[0-9.]+#? +[0-9.]+#? +-\\* +-\\* "
                                           "+-\\* +[0-9]+ ")))
      << t.out;
  EXPECT_EQ(m.str().find(fmt::format("{:.2f}", value)), std::string::npos) << m.str();
  EXPECT_NE(t.out.find("\n* not testable that week: "), std::string::npos) << t.out;

  const CliRun p = run("plan " + subject.string() + " --weeks 2", dir_);
  ASSERT_EQ(p.code, 0) << p.err;
  const auto compared = p.out.find("Compared at week 2");
  ASSERT_NE(compared, std::string::npos) << p.out;
  EXPECT_TRUE(std::regex_search(p.out.substr(compared),
                                std::regex("\nisometric knee extension strength \\(N m/kg\\) +"
                                           "not testable\\* +[0-9.]+ ")))
      << p.out.substr(compared);
}

// A programme that works a strained muscle in its first week: pulley train's printout opens with
// a caution naming it, before the programme, and says that the first weeks' changes include the
// recovery, which the model adds whatever the programme; the notes keep the detail.
TEST_F(CliTest, TrainCautionsAboutAnInjuredMuscleLoadedEarly) {
  const fs::path subject =
      write("s.yaml",
            "height_m: 1.82\nmass_kg: 78\nmuscles:\n  biceps_femoris_long_r: {capacity: 0.5}\n");
  const fs::path programme =
      write("p.yaml", "weeks: 2\nexercises:\n  - {name: nordic_hamstring, sessions_per_week: 2}\n");
  const CliRun r = run("train " + subject.string() + " " + programme.string(), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto caution = r.out.find(
      "\nCaution: this programme loads injured muscles before they have recovered: the right "
      "biceps femoris long head (capacity 0.50) in week 1, by the Nordic hamstring exercise");
  ASSERT_NE(caution, std::string::npos) << r.out;
  EXPECT_LT(caution, r.out.find("\nThe programme:"));
  EXPECT_NE(r.out.find("\nChanges in the first weeks include the injured muscles' recovery of "
                       "capacity"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("note: week 1: the Nordic hamstring exercise loads the right biceps femoris "
                       "long head"),
            std::string::npos)
      << r.out;
  // A healthy subject: neither.
  const fs::path healthy = write("h.yaml", "height_m: 1.82\nmass_kg: 78\n");
  const CliRun h = run("train " + healthy.string() + " " + programme.string(), dir_);
  ASSERT_EQ(h.code, 0) << h.err;
  EXPECT_EQ(h.out.find("\nCaution:"), std::string::npos) << h.out;
  EXPECT_EQ(h.out.find("recovery of capacity"), std::string::npos) << h.out;
}

// The printout's findings name the norms the model's own typical subject misses, with its value
// and the norm, once each: the typical man of 1.92 m and 100 kg misses the straight-leg raise's;
// the one of 1.75 m and 75 kg meets it (71 deg).
TEST_F(CliTest, AssessNamesTheNormsTheTypicalSubjectMisses) {
  const auto misses_line = [&](const std::string& body) {
    const CliRun r = run("assess " + write("s.yaml", body).string(), dir_);
    EXPECT_EQ(r.code, 0) << r.err;
    const auto at = r.out.find("  - The model's typical subject itself lies outside");
    return at == std::string::npos ? std::string() : r.out.substr(at, r.out.find('\n', at) - at);
  };
  const std::string big = misses_line("sex: male\nheight_m: 1.92\nmass_kg: 100\n");
  EXPECT_TRUE(std::regex_search(big, std::regex("passive straight-leg raise \\([0-9.]+ deg; norm "
                                                "at least 70.0 deg\\)")))
      << big;
  EXPECT_NE(big.find("read a simulated value against the typical subject, a measured one "
                     "against the norm"),
            std::string::npos)
      << big;
  EXPECT_EQ(big.find("standing pelvic tilt"), std::string::npos) << big;
  EXPECT_EQ(big.find("isometric knee flexion strength ("),
            big.rfind("isometric knee flexion strength ("));
  const std::string usual = misses_line("height_m: 1.75\nmass_kg: 75\n");
  EXPECT_EQ(usual.find("straight-leg raise"), std::string::npos) << usual;
}

TEST_F(CliTest, TestsThatEndAtTheirStartSaySo) {
  // Hamstrings so short and stiff that the raise cannot leave the table and the knee cannot leave
  // 90 deg: the printout, the findings and the JSON say the values are the starts, bounds.
  const fs::path subject = write(
      "s.yaml",
      "height_m: 1.75\nmass_kg: 75\nmuscles:\n  hamstrings: {length: 0.85, stiffness: 1.5}\n");
  const fs::path out = dir_ / "a.json";
  const CliRun r = run("assess " + subject.string() + " --json " + out.string(), dir_);
  EXPECT_EQ(r.code, 0) << r.err;
  const auto at = r.out.find("passive straight-leg raise (deg from the table)");
  ASSERT_NE(at, std::string::npos) << r.out;
  EXPECT_NE(r.out.substr(at, r.out.find('\n', at) - at).find("already at the start"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\n  ended at the start: the test ended where it starts"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("(tighter hamstrings; ended at its start, so the value is a bound"),
            std::string::npos)
      << r.out;
  const nlohmann::json j = nlohmann::json::parse(read(out));
  EXPECT_EQ(j["ends"]["straight_leg_raise_deg"]["right"], "stretch_tolerance_at_start");
  EXPECT_EQ(j["tests"]["straight_leg_raise_deg"]["right"], 0.0);
  bool marked = false, beyond_healthy = false;
  for (const auto& t : j["findings"]["tests"])
    if (t["test"] == "straight_leg_raise_deg" && t["side"] == "right") {
      marked = t.value("subject_at_start", false);
      // 0 deg lies more than 3 SD (14.4 deg, Santonja Renedo et al. 2020) below the typical
      // subject's raise: beyond healthy people's spread, centred on the typical subject.
      beyond_healthy = t.value("subject_beyond_healthy_spread", false);
      EXPECT_EQ(t["healthy_sd"], 14.4);
      EXPECT_NEAR(t["healthy_low"].get<double>(), t["typical"].get<double>() - 3 * 14.4, 1e-9);
      EXPECT_EQ(t["healthy_source"], "Santonja Renedo et al. 2020");
    }
  EXPECT_TRUE(marked);
  EXPECT_TRUE(beyond_healthy);
  EXPECT_NE(r.out.find("\n  - Beyond healthy people: passive straight-leg raise: 0.0 deg (right)"),
            std::string::npos)
      << r.out;
  // A programme's weeks mark such values too, and explain the mark once under the table.
  const fs::path programme =
      write("p.yaml", "weeks: 1\nexercises:\n  - {name: seated_hamstring_stretch}\n");
  const CliRun t = run("train " + subject.string() + " " + programme.string(), dir_);
  EXPECT_EQ(t.code, 0) << t.err;
  const auto week_0 = t.out.find("\n   0 ");
  ASSERT_NE(week_0, std::string::npos) << t.out;
  EXPECT_EQ(t.out.substr(week_0, 21), "\n   0    0.0#   90.0#") << t.out;
  EXPECT_NE(t.out.find("\n# ended at its start that week: the test ended where it starts"),
            std::string::npos)
      << t.out;
  // Tests at their start in both weeks are not offered as re-tests, and a note says why.
  EXPECT_NE(t.out.find(" (both sides) not re-tested: the test ends at its start at week 0"),
            std::string::npos)
      << t.out;
}

TEST_F(CliTest, ATrunkHoldThatCannotStartSaysWhere) {
  // Back muscles at a tenth of their strength: the prone hold fails in its first second.
  const fs::path subject = write(
      "s.yaml", "height_m: 1.75\nmass_kg: 75\nmuscles:\n  erector_spinae: {strength: 0.1}\n");
  const fs::path json = dir_ / "h.json";
  const CliRun r =
      run("simulate trunk-endurance " + subject.string() + " --json " + json.string(), dir_);
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(one_line(r.err)) << r.err;
  EXPECT_NE(r.err.find("cannot hold the trunk horizontal (endurance 0 s): the muscles fall short "
                       "at the L"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("reserve"), std::string::npos) << r.err;  // the task takes no reserve
  EXPECT_FALSE(fs::exists(json));
}

TEST_F(CliTest, ALoadNoPostureCanBalanceLeavesTheAnklesInTheirRange) {
  // 100 kg held 1 m out by a 30 kg child: no ankle angle brings the centre of mass over the feet.
  // The ankles stay at the end of their range and the moment the balance lacks is reported as
  // the muscles' shortfall, instead of the ankle turning round and round.
  const fs::path subject = write("s.yaml", "height_m: 1.2\nmass_kg: 30\n");
  const fs::path json = dir_ / "x.json";
  const CliRun r = run("simulate lift " + subject.string() +
                           " --set load_kg=100 --set load_distance_m=1 --set frames=11 "
                           "--set reserve=on --json " + json.string(),
                       dir_);
  EXPECT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(read(json));
  EXPECT_EQ(j["status"], "infeasible");
  for (const char* angle : {"ankle_dorsiflexion_deg", "hip_flexion_deg", "knee_flexion_deg"})
    for (const auto& v : j["frames"]["posture"][angle]) {
      EXPECT_GE(v.get<double>(), -90.0) << angle;
      EXPECT_LE(v.get<double>(), 180.0) << angle;
    }
  for (const auto& v : j["frames"]["knee"]["right"]["compression_n"]) {
    EXPECT_TRUE(std::isfinite(v.get<double>()));
    EXPECT_LT(v.get<double>(), 1e5);
  }
}

TEST_F(CliTest, AWordThatNamesNoCommandIsNamedWithTheCommands) {
  const CliRun r = run("frobnicate", dir_);
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(one_line(r.err)) << r.err;
  EXPECT_NE(r.err.find("'frobnicate' is not a command; allowed: stand, demo"), std::string::npos)
      << r.err;
}
