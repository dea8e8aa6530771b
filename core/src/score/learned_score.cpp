#include "hbar/score/learned_score.hpp"

#include "hbar/io/read_file.hpp"

#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include "hbar/io/output.hpp"

namespace hbar {
namespace {
static_assert(std::endian::native == std::endian::little, "the model file stores little-endian floats");
constexpr const char* kMagic = "hbar-model";
constexpr int kVersion = 1;

std::uint64_t fnv1a64(const char* p, std::size_t n) {
  std::uint64_t h = 1469598103934665603ull;
  for (std::size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(p[i]);
    h *= 1099511628211ull;
  }
  return h;
}

std::vector<float> flatten(const MlpParams& p) {
  std::vector<float> v;
  for (std::size_t l = 0; l < p.w.size(); ++l) {
    v.insert(v.end(), p.w[l].data(), p.w[l].data() + p.w[l].size());
    v.insert(v.end(), p.b[l].data(), p.b[l].data() + p.b[l].size());
  }
  return v;
}
}  // namespace

void save_model(const std::filesystem::path& path, const Mlp& net, const ModelInfo& info) {
  const std::vector<float> v = flatten(net.params());
  const auto* bytes = reinterpret_cast<const char*>(v.data());
  const std::size_t nbytes = v.size() * sizeof(float);
  write_file_atomic(path, [&](std::ostream& o) {
    char loss[64];
    std::snprintf(loss, sizeof loss, "%.17g", info.final_loss);
    char lr[64];
    std::snprintf(lr, sizeof lr, "%.17g", info.lr);
    o << kMagic << ' ' << kVersion << '\n'
      << "width " << net.shape().width << '\n'
      << "depth " << net.shape().depth << '\n'
      << "schedule " << info.schedule << '\n';
    if (info.output != NetOutput::kScore) o << "output " << net_output_name(info.output) << '\n';
    if (info.output == NetOutput::kX0) {
      char sd[64];
      std::snprintf(sd, sizeof sd, "%.17g", info.sigma_data);
      o << "sigma_data " << sd << '\n';
    }
    o
      << "data " << (info.data.empty() ? "-" : info.data) << '\n'
      << "steps " << info.steps << '\n'
      << "final_loss " << loss << '\n'
      << "batch " << info.batch << '\n'
      << "lr " << lr << '\n'
      << "seed " << info.seed << '\n'
      << "params " << v.size() << '\n';
    o.write(bytes, static_cast<std::streamsize>(nbytes));
    char sum[32];
    std::snprintf(sum, sizeof sum, "%016llx", static_cast<unsigned long long>(fnv1a64(bytes, nbytes)));
    o << "\nfnv1a64 " << sum << '\n';
  });
}

Mlp load_model(const std::filesystem::path& path, ModelInfo& info) {
  std::string text;
  try {
    text = read_file_text(path, "a model file");
  } catch (const FileReadError& e) {
    throw ModelFileError(path.string() + ": " + e.reason);
  }
  return parse_model(text, path.string(), info);
}

Mlp parse_model(std::string_view text, const std::string& name, ModelInfo& info) {
  const auto fail = [&](const std::string& why) { throw ModelFileError(name + ": " + why); };
  if (text.rfind(std::string(kMagic) + ' ', 0) != 0) fail("not an hbar model file");
  std::size_t pos = 0;
  const auto line = [&]() -> std::string {
    const auto e = text.find('\n', pos);
    if (e == std::string::npos || e - pos > 4096) fail("truncated header");
    std::string l(text.substr(pos, e - pos));
    pos = e + 1;
    return l;
  };
  {
    std::istringstream first(line());
    std::string magic;
    int version = 0;
    if (!(first >> magic) || magic != kMagic) fail("not an hbar model file");
    if (!(first >> version) || version != kVersion)
      fail("model file version " + std::to_string(version) + " (this hbar reads version " +
           std::to_string(kVersion) + ")");
  }
  std::map<std::string, std::string> kv;
  for (;;) {
    std::istringstream ls(line());
    std::string k, v, extra;
    if (!(ls >> k >> v) || (ls >> extra)) fail("malformed header line");
    kv[k] = v;
    if (k == "params") break;
  }
  const auto get = [&](const char* k) -> const std::string& {
    const auto it = kv.find(k);
    if (it == kv.end()) fail(std::string("missing '") + k + "'");
    return it->second;
  };
  const auto integer = [&](const char* k, long lo, long hi) {
    const std::string& s = get(k);
    std::size_t used = 0;
    long v = 0;
    try {
      v = std::stol(s, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != s.size() || v < lo || v > hi) fail(std::string("bad '") + k + "': " + s);
    return v;
  };
  const auto real = [&](const char* k) {
    const std::string& s = get(k);
    std::size_t used = 0;
    double v = 0;
    try {
      v = std::stod(s, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != s.size() || !std::isfinite(v)) fail(std::string("bad '") + k + "': " + s);
    return v;
  };
  MlpShape shape{static_cast<int>(integer("width", 1, 4096)), static_cast<int>(integer("depth", 1, 64))};
  info.schedule = get("schedule");
  if (!Schedule::by_name(info.schedule)) fail("unknown schedule '" + info.schedule + "'");
  if (kv.count("output")) {
    const auto out = net_output_by_name(kv["output"]);
    if (!out) fail("unknown output '" + kv["output"] + "' (score, eps, x0 or velocity)");
    info.output = *out;
  }
  if (info.output == NetOutput::kX0) {
    info.sigma_data = real("sigma_data");
    if (!(info.sigma_data > 0)) fail("bad 'sigma_data': " + get("sigma_data"));
  }
  info.data = get("data") == "-" ? std::string() : get("data");
  info.steps = integer("steps", 0, 1L << 40);
  info.final_loss = real("final_loss");
  info.batch = static_cast<int>(integer("batch", 1, 1 << 24));
  info.lr = real("lr");
  info.seed = static_cast<std::uint64_t>(integer("seed", 0, std::numeric_limits<long>::max()));
  // The shape's size is checked against the file before anything is allocated: a
  // header cannot make the loader build a network its file does not hold.
  const std::size_t count = shape.count();
  if (static_cast<std::size_t>(integer("params", 0, 1L << 34)) != count)
    fail("parameter count " + get("params") + " does not match a " + std::to_string(shape.width) + " x " +
         std::to_string(shape.depth) + " network (" + std::to_string(count) + ")");
  const std::size_t nbytes = count * sizeof(float);
  if (text.size() < pos + nbytes) fail("truncated: the parameters end early");
  const char* bytes = text.data() + pos;
  pos += nbytes;
  {
    char want[32];
    std::snprintf(want, sizeof want, "\nfnv1a64 %016llx\n", static_cast<unsigned long long>(fnv1a64(bytes, nbytes)));
    const std::string_view tail = text.substr(pos);
    if (tail.rfind("\nfnv1a64 ", 0) != 0 || tail.size() < std::strlen(want)) fail("truncated: no checksum");
    if (tail != want) fail(tail.size() > std::strlen(want) ? "unexpected data after the checksum" : "checksum mismatch: the file is corrupt");
  }
  std::vector<float> v(count);
  std::memcpy(v.data(), bytes, nbytes);
  for (float f : v)
    if (!std::isfinite(f)) fail("non-finite weight");
  return Mlp::from_flat(shape, v.data(), count);
}

LearnedScore::LearnedScore(Mlp net, Schedule schedule, ModelInfo info)
    : net_(std::move(net)), schedule_(schedule), info_(std::move(info)) {}

const char* net_output_name(NetOutput o) {
  switch (o) {
    case NetOutput::kScore: return "score";
    case NetOutput::kEps: return "eps";
    case NetOutput::kX0: return "x0";
    case NetOutput::kVelocity: return "velocity";
  }
  return "?";
}

std::optional<NetOutput> net_output_by_name(std::string_view name) {
  for (NetOutput o : {NetOutput::kScore, NetOutput::kEps, NetOutput::kX0, NetOutput::kVelocity})
    if (name == net_output_name(o)) return o;
  return std::nullopt;
}

OutputMap output_map(NetOutput o, const Schedule& s, double t, double sigma_data) {
  const double al = s.alpha(t), sg = s.sigma(t);
  switch (o) {
    case NetOutput::kScore: return {0.0, 1.0, 1.0, t};
    case NetOutput::kEps: return {0.0, -1.0 / sg, 1.0, t};
    case NetOutput::kX0: {
      // EDM's preconditioning at σ̃ = σ/α on y = x/α (Karras et al. 2022, Table 1).
      const double r = sg / al, sd2 = sigma_data * sigma_data, q = r * r + sd2;
      const double c_skip = sd2 / q, c_out = r * sigma_data / std::sqrt(q), c_in = 1.0 / std::sqrt(q);
      return {(c_skip - 1.0) / (sg * sg), al * c_out / (sg * sg), c_in / al, 0.25 * std::log(r)};
    }
    case NetOutput::kVelocity: {
      const double f = s.dalpha(t) / al, den = s.dsigma(t) - f * sg;
      return {f / (sg * den), -1.0 / (sg * den), 1.0, t};
    }
  }
  return {};
}

void LearnedScore::score(const PointsCRef& x, double t, PointsRef out) const {
  const OutputMap m = output_map(info_.output, schedule_, t, info_.sigma_data);
  Eigen::MatrixXf in(3, x.rows());
  in.row(0) = (m.c * x.col(0)).transpose().cast<float>();
  in.row(1) = (m.c * x.col(1)).transpose().cast<float>();
  in.row(2).setConstant(static_cast<float>(m.tau));
  Eigen::MatrixXf o;
  net_.forward(in, o);
  if (info_.output == NetOutput::kScore) {
    out = o.transpose().cast<double>();
    return;
  }
  out = m.a * x + m.b * o.transpose().cast<double>();
}

void LearnedScore::score_jacobian(const PointsCRef& x, double t, PointsRef out, JacobiansRef jac) const {
  const OutputMap m = output_map(info_.output, schedule_, t, info_.sigma_data);
  Mlp::Derivs d;
  if (info_.output == NetOutput::kScore) {
    net_.derivatives(x, t, 1, d);
    out = d.s;
    jac = d.jac;
    return;
  }
  const Points cx = m.c * x;
  net_.derivatives(cx, m.tau, 1, d);
  out = m.a * x + m.b * d.s;
  jac = (m.b * m.c) * d.jac;
  jac.col(0).array() += m.a;  // ∂s_0/∂x_0
  jac.col(3).array() += m.a;  // ∂s_1/∂x_1
}

bool LearnedScore::score_derivatives(const PointsCRef& x, double t, ScoreDerivatives& out) const {
  const OutputMap m = output_map(info_.output, schedule_, t, info_.sigma_data);
  Mlp::Derivs d;
  if (info_.output == NetOutput::kScore) {
    net_.derivatives(x, t, 3, d);
  } else {
    const Points cx = m.c * x;
    net_.derivatives(cx, m.tau, 3, d);
    d.s = m.a * x + m.b * d.s;
    d.jac *= m.b * m.c;
    d.jac.col(0).array() += m.a;
    d.jac.col(3).array() += m.a;
    d.hess *= m.b * m.c * m.c;
    d.third *= m.b * m.c * m.c * m.c;
  }
  out.resize(x.rows());
  out.s = d.s;
  out.jac = d.jac;
  out.hess = d.hess;
  for (int i = 0; i < 2; ++i) {
    out.grad_div.col(i) = d.hess.col(0 + 2 * i + 0) + d.hess.col(4 + 2 * i + 1);  // Σ_k ∂_i ∂_k s_k
    for (int j = 0; j < 2; ++j)
      out.hess_div.col(2 * i + j) = d.third.col(0 + 4 * i + 2 * j + 0) + d.third.col(8 + 4 * i + 2 * j + 1);
  }
  return true;
}

std::string LearnedScore::describe() const {
  return "learned MLP " + std::to_string(net_.shape().width) + "x" + std::to_string(net_.shape().depth) + " (" +
         (info_.data.empty() ? std::string("?") : info_.data) + ", " + info_.schedule + ", " +
         (info_.output == NetOutput::kScore ? std::string() : std::string(net_output_name(info_.output)) + " output, ") +
         std::to_string(info_.steps) + " steps)";
}

std::shared_ptr<const LearnedScore> load_learned_score(const std::filesystem::path& path, const Schedule& schedule) {
  ModelInfo info;
  Mlp net = load_model(path, info);
  if (info.schedule != schedule.name())
    throw ModelFileError(path.string() + ": trained for the " + info.schedule + " schedule, not " + schedule.name());
  return std::make_shared<LearnedScore>(std::move(net), schedule, std::move(info));
}

std::string model_file_checksum(const std::filesystem::path& path) {
  std::string bytes;
  try {
    bytes = read_file_text(path, "a model file");
  } catch (const FileReadError& e) {
    throw ModelFileError(e.what());
  }
  char sum[32];
  std::snprintf(sum, sizeof sum, "fnv1a64:%016llx", static_cast<unsigned long long>(fnv1a64(bytes.data(), bytes.size())));
  return sum;
}

}  // namespace hbar
