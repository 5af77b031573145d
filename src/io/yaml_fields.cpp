#include "yaml_fields.hpp"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>

#include "pulley/io/text_input.hpp"

namespace pulley::io::detail {

YAML::Node YamlFields::load_one_document(std::string_view text, std::size_t max_bytes,
                                         std::string_view kind, std::string_view doc) const {
  if (text.size() > max_bytes)
    fail(YAML::Mark::null_mark(), "",
         "the file is larger than " + std::to_string(max_bytes) + " bytes",
         std::string(kind) + " of at most " + std::to_string(max_bytes / (1024 * 1024)) + " MiB");
  if (const auto bad = find_invalid_utf8(text)) {
    YAML::Mark mark;
    mark.pos = static_cast<int>(bad->offset);
    mark.line = bad->line;
    mark.column = bad->column;
    fail(mark, "", fmt::format("byte 0x{:02x} (column {}) is not UTF-8 text", bad->byte,
                               bad->column + 1),
         "text saved as UTF-8");
  }
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(text));
  } catch (const YAML::DeepRecursion& e) {
    fail(e.mark, "", "the YAML is nested too deeply (" + std::to_string(e.depth()) + " levels)",
         "a flat mapping as in " + std::string(doc));
  } catch (const YAML::Exception& e) {
    fail(e.mark, "", "malformed YAML: " + echo_text(e.msg, 0));
  }
  if (documents.empty()) return YAML::Node();
  if (documents.size() > 1)
    fail(documents[1].Mark(), "", "the file holds more than one YAML document",
         "one mapping, without '---' separators");
  return documents.front();
}

}  // namespace pulley::io::detail
