#include "sim/actors/kswapd.h"

namespace gm {

KswapdActor::KswapdActor(BuddyAllocator& buddy, PageCache& cache, KernelEnv& env)
    : buddy_(buddy), cache_(cache), env_(env), wq_(env.create_wait_queue("kswapd_wait")) {}

void KswapdActor::wake(unsigned order, ZoneType highest) {
  if (rules_.wake(buddy_, order, highest)) {
    ++stats_.wakeups;
    wq_->wake_up();
  }
}

void KswapdActor::run(SimTime end, const std::function<bool()>& stop, const std::function<void(unsigned)>& on_sleep) {
  while (!stop()) {
    const SimTime now = env_.now();
    if (now >= end) return;
    if (!wq_->wait([this] { return rules_.running(); }, end - now)) return;  // timed out at the end
    if (stop()) return;
    const unsigned order = rules_.last_order();
    while (rules_.running() && !stop() && env_.now() < end) {
      KswapdRound r = rules_.round(buddy_, cache_);
      ++stats_.rounds;
      stats_.reclaimed += r.reclaimed;
      if (r.hopeless) ++stats_.hopeless;
      // Reclaiming a clean file page costs about what freeing it through the allocator costs; the LRU
      // scan and the rmap walk are not costed separately. A round without progress still takes one
      // page's time, so a hopeless node does not spin in zero time.
      env_.charge(Work::page_alloc, r.reclaimed ? r.reclaimed : 1);
    }
    if (order > 0 && on_sleep) on_sleep(order);
  }
}

}  // namespace gm
