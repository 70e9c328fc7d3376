// Section sizes per arch/version and x86_64 memory-block size rules.
#include "models/sparse.h"

#include <gtest/gtest.h>

namespace gm {
namespace {

const KernelVersion k612 = KernelVersion::from("6.12");

TEST(Sparse, SectionSizes) {
  EXPECT_EQ(section_geometry(Arch::x86_64, 12, k612).pages_per_section(), 32768u);
  EXPECT_EQ(section_geometry(Arch::x86_64, 12, k612).section_size().value, MiB(128).value);
  EXPECT_EQ(section_geometry(Arch::arm64, 12, KernelVersion::from("5.11")).section_size().value, GiB(1).value);
  EXPECT_EQ(section_geometry(Arch::arm64, 12, KernelVersion::from("5.12")).section_size().value, MiB(128).value);
  EXPECT_EQ(section_geometry(Arch::arm64, 16, k612).section_size().value, MiB(512).value);
  EXPECT_EQ(section_geometry(Arch::arm64, 16, k612).pages_per_section(), 8192u);
}

TEST(Sparse, X86MemoryBlockSize) {
  auto geo = section_geometry(Arch::x86_64, 12, k612);
  EXPECT_EQ(memory_block_size(Arch::x86_64, geo, PhysAddr{GiB(32).value}, true, k612).value, MiB(128).value);
  EXPECT_EQ(memory_block_size(Arch::x86_64, geo, PhysAddr{GiB(96).value}, true, k612).value, GiB(2).value);
  EXPECT_EQ(memory_block_size(Arch::x86_64, geo, PhysAddr{GiB(64).value + MiB(512).value}, true, k612).value,
            MiB(512).value);
  EXPECT_EQ(memory_block_size(Arch::x86_64, geo, PhysAddr{GiB(64).value + MiB(512).value}, false, k612).value,
            GiB(2).value);  // bare metal 5.8+
  EXPECT_EQ(memory_block_size(Arch::x86_64, geo, PhysAddr{GiB(64).value + MiB(512).value}, false,
                              KernelVersion::from("5.7"))
                .value,
            MiB(512).value);
  EXPECT_EQ(memory_block_size(Arch::arm64, geo, PhysAddr{GiB(96).value}, true, k612).value, MiB(128).value);
}

}  // namespace
}  // namespace gm
