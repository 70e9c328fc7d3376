#include "sim/hypervisor/xen_calls.h"

// xenctrl.h@4.17 has no extern "C" guard of its own.
extern "C" {
#include <xenctrl.h>
}

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "models/errors.h"

namespace gm {
namespace {

// Formats a xen_domain_handle_t like /sys/hypervisor/uuid (drivers/xen/sys-hypervisor.c@v6.6 uuid_show:
// "%pU", lower-case 8-4-4-4-12).
std::string format_handle(const xen_domain_handle_t h) {
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += hex[h[i] >> 4];
    s += hex[h[i] & 0xf];
  }
  return s;
}

// libxenctrl behind XenCalls. Not copyable: owns the xc_interface handle.
class LibXenCalls final : public XenCalls {
 public:
  LibXenCalls() : xch_(xc_interface_open(nullptr, nullptr, 0)) {
    if (!xch_) throw EnvironmentError(std::string("xc_interface_open failed: ") + std::strerror(errno));
  }
  ~LibXenCalls() override { xc_interface_close(xch_); }
  LibXenCalls(const LibXenCalls&) = delete;
  LibXenCalls& operator=(const LibXenCalls&) = delete;

  long populate_physmap(std::uint32_t domid, std::span<Pfn> gfns) override {
    std::vector<xen_pfn_t> buf = to_xen(gfns);
    // tools/libs/ctrl/xc_domain.c@4.17 xc_domain_populate_physmap: the memory_op result (extents
    // done) or -1 with errno.
    int r = xc_domain_populate_physmap(xch_, domid, buf.size(), 0, 0, buf.data());
    if (r < 0) return -static_cast<long>(errno);
    for (std::size_t i = 0; i < gfns.size(); ++i) gfns[i] = Pfn{buf[i]};
    return r;
  }

  long decrease_reservation(std::uint32_t domid, std::span<Pfn> gfns) override {
    std::vector<xen_pfn_t> buf = to_xen(gfns);
    int r = xc_domain_decrease_reservation(xch_, domid, buf.size(), 0, buf.data());
    return r < 0 ? -static_cast<long>(errno) : r;
  }

  std::optional<XenDomainInfo> domain_info(std::uint32_t domid) override {
    xc_domaininfo_t info{};
    // xc_domain_getinfolist returns the first domains >= domid: check it is the one asked for.
    if (xc_domain_getinfolist(xch_, domid, 1, &info) != 1 || info.domain != domid) return std::nullopt;
    XenDomainInfo d;
    d.domid = domid;
    d.tot_pages = info.tot_pages;
    d.max_pages = info.max_pages;
    d.dying = (info.flags & XEN_DOMINF_dying) != 0;
    return d;
  }

  bool is_own_domain(std::uint32_t domid) override {
    xc_domaininfo_t info{};
    if (xc_domain_getinfolist(xch_, domid, 1, &info) != 1 || info.domain != domid) return false;
    std::ifstream in("/sys/hypervisor/uuid");
    std::string own;
    // Without the sys-hypervisor uuid the check cannot be made: refuse rather than risk our own domain.
    if (!(in >> own)) return true;
    return own == format_handle(info.handle);
  }

 private:
  static std::vector<xen_pfn_t> to_xen(std::span<const Pfn> gfns) {
    std::vector<xen_pfn_t> buf(gfns.size());
    for (std::size_t i = 0; i < gfns.size(); ++i) buf[i] = gfns[i].value;
    return buf;
  }
  xc_interface* xch_;
};

}  // namespace

std::unique_ptr<XenCalls> open_libxen() { return std::make_unique<LibXenCalls>(); }

}  // namespace gm
