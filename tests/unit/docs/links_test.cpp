// The user docs' relative links (README.md, docs/, models/): each names a file of the repository
// and, where it has an anchor into a Markdown file, one of that file's headings, so that a
// reader following a link lands where the text says.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path kRoot = fs::path(PULLEY_TEST_DATA_DIR).parent_path().parent_path();

std::string read(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A heading's anchor as GitHub forms it: lower case, punctuation dropped (letters, digits,
// spaces, hyphens, underscores and non-ASCII bytes kept), spaces turned into hyphens; a repeated
// heading takes -1, -2, ...
std::string slug(const std::string& heading) {
  std::string out;
  for (const char c : heading) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || std::isalnum(u) || c == '-' || c == '_')
      out += static_cast<char>(std::tolower(u));
    else if (c == ' ')
      out += '-';
  }
  return out;
}

std::set<std::string> anchors_of(const fs::path& file) {
  std::set<std::string> out;
  std::map<std::string, int> seen;
  std::istringstream lines(read(file));
  bool fenced = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("```", 0) == 0) fenced = !fenced;
    if (fenced || line.empty() || line[0] != '#') continue;
    const auto text = line.find_first_not_of('#');
    if (text == std::string::npos || line[text] != ' ') continue;
    const std::string base = slug(line.substr(text + 1));
    const int n = seen[base]++;
    out.insert(n == 0 ? base : base + "-" + std::to_string(n));
  }
  return out;
}

std::vector<fs::path> user_docs() {
  std::vector<fs::path> out = {kRoot / "README.md"};
  for (const char* dir : {"docs", "models"})
    for (const auto& e : fs::recursive_directory_iterator(kRoot / dir))
      if (e.is_regular_file() && e.path().extension() == ".md") out.push_back(e.path());
  return out;
}

TEST(DocsLinks, EveryRelativeLinkReachesItsFileAndHeading) {
  const std::regex link(R"(\]\(([^)\s]+)\))");
  int checked = 0, anchored = 0;
  for (const fs::path& doc : user_docs()) {
    const std::string text = read(doc);
    for (auto m = std::sregex_iterator(text.begin(), text.end(), link); m != std::sregex_iterator();
         ++m) {
      const std::string target = (*m)[1];
      if (target.find("://") != std::string::npos || target.rfind("mailto:", 0) == 0) continue;
      const auto hash = target.find('#');
      const std::string path = target.substr(0, hash);
      const fs::path file = path.empty() ? doc : doc.parent_path() / path;
      const std::string where = fs::relative(doc, kRoot).string() + ": " + target;
      ++checked;
      ASSERT_TRUE(fs::exists(file)) << where;
      if (hash == std::string::npos || file.extension() != ".md") continue;
      ++anchored;
      EXPECT_TRUE(anchors_of(file).contains(target.substr(hash + 1))) << where;
    }
  }
  // The docs link to each other, often into a section: a scan that found none would test nothing.
  EXPECT_GT(checked, 100);
  EXPECT_GT(anchored, 20);
}

// The slug rule on the forms the docs' headings take.
TEST(DocsLinks, AnchorsAreFormedAsGitHubFormsThem) {
  EXPECT_EQ(slug("Clinical tests and findings (`pulley assess SUBJECT.yaml --json FILE`)"),
            "clinical-tests-and-findings-pulley-assess-subjectyaml---json-file");
  EXPECT_EQ(slug("Imbalance patterns (S3, S4)"), "imbalance-patterns-s3-s4");
  EXPECT_EQ(slug("The `signs` section"), "the-signs-section");
}

}  // namespace
