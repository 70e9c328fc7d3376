#include "sim/hypervisor/hypercall_trace.h"

#include <nlohmann/json.hpp>

#include "analysis/atomic_write.h"
#include "models/errors.h"

namespace gm {

std::string format_hypercall_record(const HypercallRecord& r, std::optional<std::uint32_t> domain) {
  nlohmann::ordered_json j;
  j["kind"] = r.kind;
  j["domain"] = domain ? nlohmann::ordered_json(*domain) : nlohmann::ordered_json(nullptr);
  j["extents"] = r.extents;
  j["order"] = 0;  // the drivers only balloon order-0 frames (models/xen/hypervisor.h contract)
  j["result"] = r.result;
  j["ns"] = r.duration.ns;
  j["start_ns"] = r.start.ns;
  return j.dump();
}

HypercallTraceWriter::HypercallTraceWriter(const std::filesystem::path& path, std::optional<std::uint32_t> domain)
    : path_(path), domain_(domain) {
  create_parent_directories(path);  // like --out: a trace in a folder that does not exist yet
  out_.open(path, std::ios::out | std::ios::trunc);
  if (!out_) throw EnvironmentError("cannot write the hypercall trace " + path.string());
}

void HypercallTraceWriter::write(const HypercallRecord& r) {
  out_ << format_hypercall_record(r, domain_) << '\n';
  out_.flush();
  if (!out_) throw EnvironmentError("cannot write the hypercall trace " + path_.string());
  ++records_;
}

}  // namespace gm
