// PCI address-space claims from workload.pci: a host-bridge window (ACPI _CRS, inserted at
// acpi_init's root-bridge scan, subsys_initcall) or a BAR (pci_claim_resource() from
// pcibios_resource_survey, or later on hot-plug). Claims with `at` == 0 are present at boot and are
// made in the subsys_initcall step; later ones are hot-plug events.
#pragma once

#include <optional>
#include <string>

#include "models/guest.h"
#include "sim/scenario/scenario.h"

namespace gm {

// The claim's range from its start and size.
AddrRange pci_claim_range(const PciEventSpec& ev);

// Makes the claim; returns the kernel's message when it fails:
// window: arch/x86/pci/acpi.c "host bridge window %pR (ignored, conflicts with %s %pR)" [M wording];
// BAR: drivers/pci/setup-res.c@v6.1 pci_claim_resource "can't claim BAR %d %pR: address conflict
// with %s %pR" (the BAR number is not in the scenario: printed as 0).
std::optional<std::string> claim_pci(Guest& guest, const PciEventSpec& ev);

}  // namespace gm
