// A tiny outside user of the installed library: loads a charter given on the command
// line and looks up a term. Uses only the public headers.
#include <charter/charter.hpp>
#include <charter/render.hpp>

#include <iostream>

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  auto loaded = charter::load_charter({argv[1]});
  charter::render(std::cerr, charter::OutputFormat::Text, loaded);
  if (!loaded.ok()) return 1;
  auto hit = loaded.charter().lookup_term(argv[2]);
  if (!hit) return 1;
  std::cout << hit->term->id << " " << charter::to_string(hit->kind) << "\n";
  return 0;
}
