#include "sim/boot/initcalls.h"

#include "sim/engine/engine.h"

namespace gm {

void BootSequence::run(std::string_view level, std::string_view name, const std::function<void(BootStep&)>& body) {
  BootStep step{std::string(level), std::string(name), Engine::now(), Engine::now(), {}};
  auto finish = [&] {
    step.end = Engine::now();
    steps_.push_back(step);
    if (observer_) observer_(steps_.back());
  };
  try {
    body(step);
  } catch (...) {
    step.args.emplace_back("outcome", "guest crash");
    finish();
    throw;
  }
  finish();
}

}  // namespace gm
