#include "cli_ranges.hpp"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "hbar/base/number.hpp"
#include "setting_table.hpp"

namespace hbar::cli {

namespace {

CLI::Validator validator(const Range& r) {
  return CLI::Validator(
      [&r](std::string& text) -> std::string {
        // A list or a START:STOP:COUNT range: the option's own parser judges each item.
        if (text.find_first_of(",:") != std::string::npos) return {};
        // One number, in the one syntax of CLI, scripts and sessions (hbar/base/number.hpp).
        double v = 0;
        const NumberStatus st = parse_number(text, v);
        if (st != NumberStatus::kOk) return "'" + text + "' " + number_error(st) + " (one syntax: JSON's numbers)";
        const bool ok = (r.lo_open ? v > r.lo : v >= r.lo) && v <= r.hi;
        if (ok) {
          text = app::format_number(v);  // what CLI11 converts: the value itself (1e-400 is 0)
          return {};
        }
        return "must be in " + range_text(r) + " (" + r.why + "), got " + text;
      },
      range_text(r));
}

// A numeric option without a range row (a seed, a count): only the one syntax. Whole
// numbers (INT, UINT) take no fraction or exponent.
CLI::Validator syntax_validator(bool integer, bool is_unsigned) {
  return CLI::Validator(
      [integer, is_unsigned](std::string& text) -> std::string {
        if (integer) {
          long long n = 0;
          const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
          // Digits beyond long long: CLI11 judges the unsigned range.
          if ((parse_integer(text, n) && !(is_unsigned && n < 0)) || digits) return {};
          return "'" + text + "' is not a whole number" + (is_unsigned ? " >= 0" : "") + " (one syntax: JSON's numbers)";
        }
        double v = 0;
        const NumberStatus st = parse_number(text, v);
        if (st != NumberStatus::kOk) return "'" + text + "' " + number_error(st) + " (one syntax: JSON's numbers)";
        text = app::format_number(v);
        return {};
      },
      "");
}

}  // namespace

void attach_ranges(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    for (CLI::Option* opt : sub->get_options()) {
      if (const Range* r = find_range(sub->get_name(), opt->get_name())) {
        opt->check(validator(*r));
        continue;
      }
      const std::string type = opt->get_type_name();
      if (type == "INT" || type == "UINT") opt->check(syntax_validator(true, type == "UINT"));
      else if (type == "FLOAT") opt->check(syntax_validator(false, false));
    }
}

std::string ranges_markdown() {
  std::string o = "| command | option | range | why | in the app |\n|---|---|---|---|---|\n";
  for (const Range& r : ranges()) {
    std::string app = "—";
    if (*r.setting) {
      app = std::string("`") + r.setting + "`";
      if (*r.app_why)
        app += std::string(": ") + number_text(app_lo(r)) + " … " + number_text(app_hi(r)) + " (" + r.app_why + ")";
      else app += ": the same";
    }
    o += "| " + std::string(std::string(r.command) == "*" ? "every" : r.command) + " | `" + r.option + "` | " +
         range_text(r) + " | " + r.why + " | " + app + " |\n";
  }
  return o;
}

void add_ranges_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("ranges", "the range of every number hbar-cli takes, and why");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "as JSON");
  cmd->callback([json] {
    if (*json) {
      nlohmann::json j = nlohmann::json::array();
      for (const Range& r : ranges())
        j.push_back({{"command", r.command}, {"option", r.option}, {"lo", r.lo}, {"hi", r.hi},
                     {"lo_open", r.lo_open}, {"why", r.why}, {"setting", r.setting},
                     {"app_lo", app_lo(r)}, {"app_hi", app_hi(r)}, {"app_why", r.app_why}});
      std::cout << j.dump(1) << "\n";
      return;
    }
    std::cout << ranges_markdown();
  });
}

}  // namespace hbar::cli
