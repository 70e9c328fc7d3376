// gnuplot scripts + data files, rendered by running gnuplot in the output directory.
#include "analysis/plots.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "analysis/atomic_write.h"
#include "analysis/time_series.h"

namespace gm {

void PlotResult::merge(PlotResult other) {
  files.insert(files.end(), other.files.begin(), other.files.end());
  rendered = rendered && other.rendered;
  if (!other.message.empty() && message.find(other.message) == std::string::npos)
    message += (message.empty() ? "" : "\n") + other.message;
}

namespace {

namespace fs = std::filesystem;

// Names reach the scripts and data files from inputs (PCI window names of a scenario, iomem names): a
// control character (a newline above all) would end a script line or a data row, so each becomes a space.
char printable(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? ' ' : c; }
std::string one_line(std::string s) {
  for (char& c : s) c = printable(c);
  return s;
}

std::string quote(const std::string& s) {  // a gnuplot single-quoted string ('' is a quote)
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("''") : std::string(1, printable(c));
  return q + "'";
}

std::string num(double v) { return format_number(v); }

// Finds the gnuplot program, or returns "" when there is none.
std::string find_gnuplot(const PlotOptions& o) {
  std::string prog = o.program;
  if (prog.empty()) {
    const char* env = std::getenv("GUESTMEM_GNUPLOT");
    prog = env && *env ? env : "gnuplot";
  }
  if (prog.find('/') != std::string::npos) return ::access(prog.c_str(), X_OK) == 0 ? prog : "";
  const char* path = std::getenv("PATH");
  std::stringstream ss(path ? path : "/usr/bin:/bin");
  std::string d;
  while (std::getline(ss, d, ':')) {
    fs::path p = fs::path(d.empty() ? "." : d) / prog;
    if (::access(p.c_str(), X_OK) == 0) return p.string();
  }
  return "";
}

// Runs `gnuplot SCRIPT` in `dir`; returns "" on success, else gnuplot's first error line.
std::string run_gnuplot(const std::string& prog, const fs::path& dir, const std::string& script) {
  int fds[2];
  if (::pipe(fds) != 0) return "cannot create a pipe";
  pid_t pid = ::fork();
  if (pid < 0) return "cannot fork";
  if (pid == 0) {
    ::close(fds[0]);
    int devnull = ::open("/dev/null", O_RDWR);
    if (devnull >= 0) ::dup2(devnull, STDIN_FILENO), ::dup2(devnull, STDOUT_FILENO);
    ::dup2(fds[1], STDERR_FILENO);
    if (::chdir(dir.c_str()) != 0) ::_exit(126);
    ::execl(prog.c_str(), prog.c_str(), script.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  std::string err;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (err.size() < 65536) err.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  // Report the first line that says what went wrong (gnuplot prints the offending line before it).
  std::stringstream es(err);
  std::string line, first;
  while (std::getline(es, line)) {
    if (line.find_first_not_of(" \t^") == std::string::npos) continue;
    if (first.empty()) first = line;
    if (line.find("rror") != std::string::npos) return line;
  }
  return first.empty() ? "gnuplot exited with status " + std::to_string(WEXITSTATUS(status)) : first;
}

constexpr int kWidth = 960, kHeight = 600;

// Writes STEM.dat and STEM.gp, then renders. The script runs `body` once per output format, so the
// body may use multiplot and a user restyles it in one place.
PlotResult emit(const fs::path& dir, const std::string& stem, const std::string& data, const std::string& body,
                const PlotOptions& o, int height = kHeight) {
  PlotResult r;
  write_file_atomically(dir / (stem + ".dat"), data);
  const std::string size = std::to_string(kWidth) + "," + std::to_string(height);
  std::string indented;
  std::stringstream bs(body);
  for (std::string line; std::getline(bs, line);) indented += "  " + line + "\n";
  const std::string gp = "# guestmem plot: restyle freely, render with `gnuplot " + stem +
                         ".gp` in this directory.\n"
                         "# Data: " +
                         stem +
                         ".dat (blocks separated by two blank lines, selected with `index`).\n"
                         "do for [fmt in \"svg png\"] {\n"
                         "  if (fmt eq \"svg\") {\n"
                         "    set terminal svg size " +
                         size +
                         " dynamic noenhanced font 'sans,12' background rgb 'white'\n"
                         "  } else {\n"
                         "    if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
                         "      set terminal pngcairo size " +
                         size +
                         " noenhanced font 'sans,11' background rgb 'white'\n"
                         "    } else {\n"
                         "      set terminal png size " +
                         size +
                         " noenhanced\n"
                         "    }\n"
                         "  }\n"
                         "  set output '" +
                         stem +
                         ".'.fmt\n"
                         "  set grid\n" +
                         indented + "  unset output\n}\n";
  write_file_atomically(dir / (stem + ".gp"), gp);
  r.files = {dir / (stem + ".gp"), dir / (stem + ".dat")};
  if (!o.render) {
    r.rendered = false;
    r.message = "plots not rendered: run `cd " + dir.string() + " && for f in *.gp; do gnuplot \"$f\"; done`";
    return r;
  }
  std::string prog = find_gnuplot(o);
  if (prog.empty()) {
    r.rendered = false;
    r.message = "gnuplot not found (Debian: apt-get install gnuplot-nox); the plot scripts are in " + dir.string() +
                ": render them with `cd " + dir.string() + " && for f in *.gp; do gnuplot \"$f\"; done`";
    return r;
  }
  std::string err = run_gnuplot(prog, dir, stem + ".gp");
  if (!err.empty()) {
    r.rendered = false;
    r.message = "gnuplot failed on " + (dir / (stem + ".gp")).string() + ": " + err;
    return r;
  }
  r.files.push_back(dir / (stem + ".svg"));
  r.files.push_back(dir / (stem + ".png"));
  return r;
}

std::string with_style(const std::string& base, const std::string& style) {
  return style.empty() ? base : base + " " + style;
}

// Scale for a y axis in bytes: (divisor, label).
std::pair<double, std::string> byte_scale(double max) {
  if (max >= 4.0 * (1ULL << 30)) return {double(1ULL << 30), "GiB"};
  if (max >= 4.0 * (1ULL << 20)) return {double(1ULL << 20), "MiB"};
  return {1024.0, "KiB"};
}

std::string hex(std::uint64_t v) {
  std::ostringstream s;
  s << "0x" << std::hex << v;
  return s.str();
}

}  // namespace

PlotResult plot_latency_cdf(const fs::path& dir, const std::string& stem, const std::vector<CdfCurve>& curves,
                            const PlotOptions& o) {
  // Latencies span decades (a list pop vs. a fill with hypercalls): always a log x axis. Zero latencies
  // (work the cost model charges nothing for) are drawn at a floor one decade below the smallest
  // positive value, and the axis label says so.
  double min_pos = INFINITY;
  bool has_zero = false;
  for (const auto& c : curves)
    for (double v : c.value_ns) {
      if (v > 0) min_pos = std::min(min_pos, v);
      if (v <= 0) has_zero = true;
    }
  const double floor_ns = std::isfinite(min_pos) ? std::max(min_pos / 10, 0.001) : 1.0;
  std::string data, plot;
  int index = 0;
  for (const auto& c : curves) {
    if (c.value_ns.empty()) continue;
    data +=
        "# " + one_line(c.name) + ": latency_us fraction" + (has_zero ? " (0 drawn at " + num(floor_ns / 1e3) + ")" : "") + "\n";
    for (std::size_t i = 0; i < c.value_ns.size() && i < c.percent.size(); ++i)
      data += num(std::max(c.value_ns[i], floor_ns) / 1e3) + " " + num(c.percent[i] / 100) + "\n";
    data += "\n\n";
    plot += std::string(plot.empty() ? "plot " : ", \\\n     ") + quote(stem + ".dat") + " index " +
            std::to_string(index++) + " using 1:2 with steps " + with_style("lw 2", c.style) + " title " +
            quote(c.name);
  }
  if (index == 0) return {{}, true, ""};
  std::string xlabel = "latency (us, log scale)";
  if (has_zero) xlabel = "latency (us, log scale; 0 drawn at " + num(floor_ns / 1e3) + " us)";
  std::string body =
      "set title 'Page request latency: cumulative distribution'\n"
      "set xlabel " +
      quote(xlabel) +
      "\nset ylabel 'fraction of requests <= latency'\n"
      "set yrange [0:1.02]\nset key inside right bottom\nset logscale x 10\nset format x '%g'\n";
  return emit(dir, stem, data, body + plot + "\n", o);
}

PlotResult plot_time_panels(const fs::path& dir, const std::string& stem, const std::string& title,
                            const std::vector<TimePanel>& panels, const PlotOptions& o) {
  std::string data;
  std::vector<std::string> plots;  // one plot command per non-empty panel
  std::vector<const TimePanel*> used;
  int index = 0;
  for (const auto& p : panels) {
    std::string plot;
    for (const auto& c : p.curves) {
      std::string block;
      for (std::size_t i = 0; i < c.t_ns.size() && i < c.y.size(); ++i)
        if (std::isfinite(c.y[i])) block += num(static_cast<double>(c.t_ns[i]) / 1e9) + " " + num(c.y[i]) + "\n";
      if (block.empty()) continue;
      data += "# " + one_line(c.name) + ": t_s value\n" + block + "\n\n";
      plot += std::string(plot.empty() ? "plot " : ", \\\n     ") + quote(stem + ".dat") + " index " +
              std::to_string(index++) + " using 1:2 with lines " + with_style("lw 2", c.style) + " title " +
              quote(c.name);
    }
    if (plot.empty()) continue;
    plots.push_back(plot);
    used.push_back(&p);
  }
  if (plots.empty()) return {{}, true, ""};
  std::string body = "set key below\n";  // legends outside right would take half of the width
  if (plots.size() == 1) {
    body += "set title " + quote(title) + "\nset xlabel 'simulated time (s)'\nset ylabel " + quote(used[0]->ylabel) +
            "\nset yrange " + used[0]->yrange + "\n" + plots[0] + "\n";
    return emit(dir, stem, data, body, o);
  }
  body += "set multiplot layout " + std::to_string(plots.size()) + ",1 title " + quote(title) + "\n";
  for (std::size_t i = 0; i < plots.size(); ++i) {
    body += "set ylabel " + quote(used[i]->ylabel) + "\nset yrange " + used[i]->yrange + "\n";
    body += std::string("set xlabel ") + (i + 1 == plots.size() ? "'simulated time (s)'" : "''") + "\n";
    body += plots[i] + "\n";
  }
  body += "unset multiplot\n";
  return emit(dir, stem, data, body, o, kHeight + 260 * static_cast<int>(plots.size() - 1));
}

PlotResult plot_time_curves(const fs::path& dir, const std::string& stem, const std::string& title,
                            const std::string& ylabel, const std::vector<TimeCurve>& curves, const PlotOptions& o,
                            const std::string& yrange) {
  return plot_time_panels(dir, stem, title, {TimePanel{ylabel, curves, yrange}}, o);
}

PlotResult plot_address_map(const fs::path& dir, const std::string& stem, const std::string& title,
                            const std::vector<MapRange>& ranges, const PlotOptions& o) {
  if (ranges.empty()) return {{}, true, ""};
  static const std::vector<std::pair<std::string, std::string>> kColours = {
      {"ram", "#2e8b57"},     {"reserved", "#808080"}, {"acpi", "#c0a000"}, {"pci", "#e07020"},
      {"scratch", "#1f6fd0"}, {"hotplug", "#8a2be2"},  {"other", "#b03060"}};
  auto colour = [&](const std::string& kind) {
    for (const auto& [k, c] : kColours)
      if (k == kind) return std::stoul(c.substr(1), nullptr, 16);
    return std::stoul(kColours.back().second.substr(1), nullptr, 16);
  };
  std::vector<MapRange> rs = ranges;
  std::stable_sort(rs.begin(), rs.end(), [](const MapRange& a, const MapRange& b) { return a.start < b.start; });
  double top = 0;
  for (const auto& r : rs) top = std::max(top, static_cast<double>(r.end.value) + 1);
  auto [div, unit] = byte_scale(top);
  std::string data = "# row x_center x_half_width colour label   (x in " + unit + ")\n";
  const std::size_t n = rs.size();
  for (std::size_t i = 0; i < n; ++i) {
    const auto& r = rs[i];
    double s = static_cast<double>(r.start.value) / div, e = (static_cast<double>(r.end.value) + 1) / div;
    std::string label = r.name + " [" + hex(r.start.value) + "-" + hex(r.end.value) + "]";
    std::string qlabel = "\"";
    for (char c : label) qlabel += c == '"' ? '\'' : printable(c);
    qlabel += "\"";
    data += std::to_string(n - 1 - i) + " " + num((s + e) / 2) + " " + num((e - s) / 2) + " " +
            std::to_string(colour(r.kind)) + " " + qlabel + "\n";
  }
  std::string legend;  // only the kinds present, as dummy plots that draw nothing
  // The lambda captures `k` by name, not a structured binding: clang before 16 rejects capturing those.
  for (const auto& [kind, c] : kColours)
    if (const auto& k = kind; std::any_of(rs.begin(), rs.end(), [&](const MapRange& r) { return r.kind == k; }))
      legend += ", \\\n     NaN with boxes fs solid lc rgb " + quote(c) + " title " + quote(k);
  std::size_t longest = 0;
  for (const auto& r : rs)
    longest = std::max(longest, r.name.size() + hex(r.start.value).size() + hex(r.end.value).size() + 4);
  // The y tic labels use a smaller font than the margin's character unit.
  const std::string lmargin = std::to_string(static_cast<int>(static_cast<double>(longest) * 0.8) + 3);
  std::string body =
      "set title " + quote(title) + "\nset xlabel 'guest-physical address (" + unit + ")'\n" +
      "set yrange [-0.7:" + num(static_cast<double>(n) - 0.3) + "]\nset xrange [0:" + num(top / div * 1.02) +
      "]\nset ytics font ',9' nomirror\nunset grid\nset grid x\n" + "set lmargin " + lmargin +
      "\nset key above horizontal\nset style fill solid 0.8\n" + "plot " + quote(stem + ".dat") +
      " using 2:1:3:(0.35):4:ytic(5) with boxxyerror lc rgb variable notitle, \\\n     " + quote(stem + ".dat") +
      " using ($2-$3):1:4 with points pt 7 ps 0.6 lc rgb variable notitle" + legend + "\n";
  return emit(dir, stem, data, body, o, std::max(kHeight, 140 + static_cast<int>(n) * 22));
}

}  // namespace gm

namespace gm {

PlotResult plot_band_curves(const fs::path& dir, const std::string& stem, const std::string& title,
                            const std::string& xlabel, const std::string& ylabel, const std::vector<BandCurve>& curves,
                            bool logx, const PlotOptions& o, bool logy) {
  std::string data, bands, lines;
  int index = 0;
  bool labels = false;
  for (const auto& c : curves) {
    if (c.x.empty()) continue;
    data += "# " + one_line(c.name) + ": x mean ci95_lo ci95_hi label\n";
    for (std::size_t i = 0; i < c.x.size(); ++i) {
      std::string label = i < c.xtic.size() ? one_line(c.xtic[i]) : "";
      for (char& ch : label)
        if (ch == '"') ch = '\'';
      labels = labels || !label.empty();
      const double lo = logy && c.lo[i] <= 0 ? c.mean[i] / 10 : c.lo[i];
      data += num(c.x[i]) + " " + num(c.mean[i]) + " " + num(lo) + " " + num(c.hi[i]) + " \"" + label + "\"\n";
    }
    data += "\n\n";
    const std::string colour = " lc " + std::to_string(c.colour > 0 ? c.colour : index + 1);
    bands += std::string(bands.empty() ? "plot " : ", \\\n     ") + quote(stem + ".dat") + " index " +
             std::to_string(index) + " using 1:3:4 with filledcurves fs transparent solid 0.2 noborder" + colour +
             " notitle";
    lines += ", \\\n     " + quote(stem + ".dat") + " index " + std::to_string(index) + " using 1:2" +
             (labels ? ":xtic(5)" : "") + " with linespoints " + with_style("lw 2 pt 7" + colour, c.style) +
             " title " + quote(c.name);
    ++index;
  }
  if (index == 0) return {{}, true, ""};
  std::string body = "set title " + quote(title) + "\nset xlabel " + quote(xlabel) + "\nset ylabel " + quote(ylabel) +
                     "\nset key outside right top\n" + (logy ? "set logscale y 10\n" : "set yrange [0:*]\n") +
                     "set offsets graph 0.02, graph 0.02, graph 0.05, 0\n" + (logx ? "set logscale x 2\n" : "") +
                     "set style fill transparent solid 0.2 noborder\n";
  return emit(dir, stem, data, body + bands + lines + "\n", o);
}

}  // namespace gm

namespace gm {

PlotResult plot_tornado(const fs::path& dir, const std::string& stem, const std::string& title,
                        const std::string& xlabel, double center, const std::vector<TornadoBar>& bars, double scale,
                        const PlotOptions& o) {
  if (bars.empty()) return {{}, true, ""};
  if (!(scale > 0)) scale = 1;
  const std::size_t n = bars.size();
  const double c = center / scale;
  std::string data = "# row low high center label   (values divided by " + num(scale) + ")\n";
  for (std::size_t i = 0; i < n; ++i) {
    std::string label = "\"";
    for (char ch : bars[i].name) label += ch == '"' ? '\'' : printable(ch);
    label += "\"";
    data += std::to_string(n - 1 - i) + " " + num(bars[i].low / scale) + " " + num(bars[i].high / scale) + " " +
            num(c) + " " + label + "\n";
  }
  std::size_t longest = 0;
  for (const auto& b : bars) longest = std::max(longest, b.name.size());
  const std::string d = quote(stem + ".dat");
  // Both halves of a bar start at the center: when both ends lie on one side, the translucent fills overlap.
  std::string body = "set title " + quote(title) + "\nset xlabel " + quote(xlabel) + "\nset yrange [-0.7:" +
                     num(static_cast<double>(n) - 0.3) + "]\nset ytics nomirror\nunset grid\nset grid x\n" +
                     "set lmargin " + std::to_string(static_cast<int>(static_cast<double>(longest) * 0.9) + 3) +
                     "\nset key above horizontal\nset style fill transparent solid 0.6 border\n" +
                     "set offsets graph 0.05, graph 0.05, 0, 0\n" +
                     "set yzeroaxis lt -1 lw 1\n" + "set arrow 1 from " + num(c) + ", graph 0 to " + num(c) +
                     ", graph 1 nohead dt 2 lw 2 lc rgb '#333333'\n" + "plot " + d +
                     " using (($2+$4)/2):1:(abs($2-$4)/2):(0.35):ytic(5) with boxxyerror lc rgb '#4e79a7' "
                     "title 'parameter at its low value', \\\n     " +
                     d +
                     " using (($3+$4)/2):1:(abs($3-$4)/2):(0.35) with boxxyerror lc rgb '#e15759' "
                     "title 'parameter at its high value', \\\n     "
                     "NaN with lines dt 2 lw 2 lc rgb '#333333' title 'every cost at its default'\n";
  return emit(dir, stem, data, body, o, std::max(kHeight, 160 + static_cast<int>(n) * 30));
}

}  // namespace gm
