// Student's t distribution: CDF and quantile, for confidence intervals over a handful of seeds.
#pragma once

namespace gm {

// Contract: df > 0 (may be fractional); student_t_cdf(t, df) = P(T <= t); student_t_quantile(p, df) is
// the t with cdf(t) = p for 0 < p < 1 (std::invalid_argument otherwise), accurate to ~1e-12 relative.
// Implemented here (no Boost dependency) from the regularized incomplete beta function:
// P(|T| > t) = I_{df/(df+t^2)}(df/2, 1/2), evaluated with the modified Lentz continued fraction.
double student_t_cdf(double t, double df);
double student_t_quantile(double p, double df);

// The regularized incomplete beta function I_x(a, b) for a, b > 0 and 0 <= x <= 1.
double regularized_incomplete_beta(double x, double a, double b);

}  // namespace gm
