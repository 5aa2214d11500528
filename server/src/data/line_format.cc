#include "data/line_format.h"

#include <cctype>

namespace graphfake::data {
namespace {

bool is_upper(char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; }
bool is_lower(char c) { return std::islower(static_cast<unsigned char>(c)) != 0; }
char to_lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }
char to_upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }

}  // namespace

LineFormat LineFormat::of(const Dialect& dialect) {
  return LineFormat{dialect.data_profile, dialect.data_keys, dialect.data_numbers, dialect.product_qualifiers, {}};
}

std::string spell_key(std::string_view name, Dialect::KeyCase casing) {
  std::string key(name);
  switch (casing) {
    case Dialect::KeyCase::pascal:
      if (!key.empty()) key[0] = to_upper(key[0]);
      break;
    case Dialect::KeyCase::lower:
      for (char& c : key) c = to_lower(c);
      break;
    case Dialect::KeyCase::camel: {
      std::size_t run = 0;
      while (run < key.size() && is_upper(key[run])) ++run;
      const bool next_word_starts_in_run = run > 1 && run < key.size() && is_lower(key[run]);
      const std::size_t lowered = next_word_starts_in_run ? run - 1 : run;
      for (std::size_t i = 0; i < lowered; ++i) key[i] = to_lower(key[i]);
      break;
    }
  }
  return key;
}

}  // namespace graphfake::data
