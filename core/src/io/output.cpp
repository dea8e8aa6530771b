#include "hbar/io/output.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
#include <string>
#include <system_error>
#include <thread>

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hbar {
namespace fs = std::filesystem;

// ---- temporaries a signal must remove (fixed slots: the handler cannot allocate) ----
namespace {

constexpr int kSlots = 64;
constexpr std::size_t kPathMax = 4096;
struct Slot {
  std::atomic<int> state{0};  // 0 free, 1 being filled, 2 live
  char path[kPathMax];
};
Slot g_slots[kSlots];
std::atomic<int> g_committing{0};      // > 0 while renames run: a signal waits
std::atomic<int> g_pending_signal{0};  // the signal that came meanwhile
char g_program[256] = "hbar";
char g_tail[128] = "; nothing written";
static_assert(std::atomic<int>::is_always_lock_free);

int register_temp(const fs::path& p) {
  const std::string s = p.string();
  if (s.size() + 1 > kPathMax) return -1;
  for (int i = 0; i < kSlots; ++i) {
    int expected = 0;
    if (g_slots[i].state.compare_exchange_strong(expected, 1)) {
      std::memcpy(g_slots[i].path, s.c_str(), s.size() + 1);
      g_slots[i].state.store(2);
      return i;
    }
  }
  return -1;  // more than 64 at once: still removed on failure, only not on a signal
}

void release_temp(int slot) {
  if (slot >= 0) g_slots[slot].state.store(0);
}

void write_stderr(const char* s) {
  const ssize_t n = ::write(STDERR_FILENO, s, std::strlen(s));
  (void)n;
}

[[noreturn]] void leave(int sig, bool written) {
  for (auto& slot : g_slots)
    if (slot.state.load() == 2) ::unlink(slot.path);
  write_stderr(g_program);
  write_stderr(sig == SIGTERM ? ": terminated" : ": interrupted");
  write_stderr(written ? " after writing its outputs" : g_tail);
  write_stderr("\n");
  ::_exit(128 + sig);
}

// Holds signals back while temporaries are renamed into place.
struct CommitGuard {
  CommitGuard() { ++g_committing; }
  ~CommitGuard() {
    if (--g_committing == 0)
      if (const int sig = g_pending_signal.exchange(0)) leave(sig, true);
  }
};

std::atomic<unsigned> g_counter{0};

fs::path temp_beside(const fs::path& target) {
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  return dir / (".hbar-tmp-" + std::to_string(::getpid()) + "-" + std::to_string(g_counter++));
}

std::string named(const std::string& given, const std::string& what) {
  std::string s = what;
  if (!s.empty() && !given.empty()) s += ' ';
  s += given;
  return s.empty() ? std::string("the output") : s;
}

std::string errno_text(int e) { return e ? std::strerror(e) : "write failed"; }

// Follows symlinks (at most 40) to the path that will really be written.
fs::path follow_links(const fs::path& given, const std::string& name) {
  fs::path p = given;
  for (int hops = 0;; ++hops) {
    std::error_code ec;
    if (!fs::is_symlink(p, ec)) return p;
    if (hops == 40) throw OutputError(name + ": too many levels of symbolic links");
    const fs::path to = fs::read_symlink(p, ec);
    if (ec) throw OutputError(name + ": cannot read the link: " + ec.message());
    p = to.is_absolute() ? to : p.parent_path() / to;
  }
}

// The nearest folder of `target` that exists (missing ones are created at commit); "."
// for a name without a folder, or a relative path whose first folder is missing.
fs::path existing_folder(const fs::path& target) {
  fs::path dir = target.parent_path();
  std::error_code ec;
  while (!dir.empty() && !fs::exists(dir, ec) && dir != dir.parent_path()) dir = dir.parent_path();
  return dir.empty() ? fs::path(".") : dir;
}

// An ostream's buffer over a file descriptor that keeps the first error's errno (a
// std::ofstream forgets it): "No space left on device", not "write failed".
class FdBuf : public std::streambuf {
 public:
  FdBuf(int fd, bool owned) : fd_(fd), owned_(owned) { setp(buf_, buf_ + sizeof buf_); }
  ~FdBuf() override {
    if (owned_ && fd_ >= 0) ::close(fd_);
  }
  int error() const { return error_; }
  // Flushes and (when owned) closes; returns the first error's errno, or 0.
  int finish() {
    drain();
    if (owned_ && fd_ >= 0) {
      if (::close(fd_) != 0 && error_ == 0) error_ = errno;
      fd_ = -1;
    }
    return error_;
  }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    const char* p = pbase();
    while (p < pptr() && error_ == 0) {
      const ssize_t n = ::write(fd_, p, static_cast<std::size_t>(pptr() - p));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) error_ = n < 0 ? errno : EIO;
      else p += n;
    }
    setp(buf_, buf_ + sizeof buf_);
    return error_ == 0;
  }
  int fd_;
  bool owned_;
  int error_ = 0;
  char buf_[1 << 16];
};

// Runs `write` into `fd` and reports its first error naming `given`.
void write_fd(int fd, bool owned, const std::string& given, const Writer& write) {
  auto buf = std::make_unique<FdBuf>(fd, owned);
  std::ostream out(buf.get());
  write(out);
  out.flush();
  if (const int e = buf->finish()) throw OutputError(given + ": " + std::strerror(e));
}

// Opens a pipe or device for writing. A pipe with no reader is refused after a short
// wait (its reader may be starting) rather than blocking for ever.
int open_stream(const OutputTarget& t) {
  struct stat st {};
  const bool fifo = ::stat(t.target.c_str(), &st) == 0 && S_ISFIFO(st.st_mode);
  if (!fifo) {
    const int fd = ::open(t.target.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw OutputError(t.given + ": cannot open for writing: " + std::strerror(errno));
    return fd;
  }
  for (int i = 0; i < 20; ++i) {  // 2 s
    const int fd = ::open(t.target.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0) {  // a reader is there: write blocking from now on
      ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
      return fd;
    }
    if (errno != ENXIO) throw OutputError(t.given + ": cannot open the pipe: " + std::strerror(errno));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw OutputError(t.given + ": a named pipe with no reader (nothing written)");
}

std::mutex g_cleaned_mutex;
std::set<std::string> g_cleaned;  // folders already swept in this process

void sweep_once(const fs::path& folder) {
  std::error_code ec;
  const fs::path key = fs::weakly_canonical(folder, ec);
  {
    std::lock_guard lock(g_cleaned_mutex);
    if (!g_cleaned.insert(key.string()).second) return;
  }
  remove_stale_temporaries(folder);
}

}  // namespace

OutputTarget check_output(const std::string& given, const std::string& what) {
  OutputTarget t;
  t.given = given;
  if (given.empty()) throw OutputError(named("", what) + ": an empty file name");
  if (given == "-") {
    t.kind = OutputTarget::Kind::kStdout;
    t.identity.assign(1, '-');
    return t;
  }
  const std::string name = named(given, what);
  if (given.find('\0') != std::string::npos) throw OutputError(name + ": a file name with a NUL byte");
  t.target = follow_links(given, name);
  std::error_code ec;
  const auto st = fs::status(t.target, ec);
  if (fs::is_directory(st)) throw OutputError(name + ": is a folder");
  const fs::path leaf = t.target.filename();
  if (leaf.empty() || leaf == "." || leaf == "..") throw OutputError(name + ": names a folder, not a file");
  const fs::path folder = existing_folder(t.target);
  long name_max = ::pathconf(folder.c_str(), _PC_NAME_MAX);
  if (name_max <= 0) name_max = NAME_MAX;
  if (static_cast<long>(leaf.string().size()) > name_max)
    throw OutputError(name + ": the file name is longer than " + std::to_string(name_max) + " bytes");
  if (fs::exists(st)) {
    struct stat s {};
    if (::stat(t.target.c_str(), &s) != 0) throw OutputError(name + ": " + errno_text(errno));
    t.identity = std::to_string(s.st_dev) + ":" + std::to_string(s.st_ino);
    if (!S_ISREG(s.st_mode)) {
      t.kind = OutputTarget::Kind::kStream;
      if (::access(t.target.c_str(), W_OK) != 0) throw OutputError(name + ": cannot be written: " + errno_text(errno));
      return t;
    }
    // Read-only by its mode (root too: a chmod is the owner's word) or by access.
    if ((s.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0 || ::access(t.target.c_str(), W_OK) != 0)
      throw OutputError(name + ": the file is read-only; nothing replaced");
  } else {
    t.identity = fs::weakly_canonical(fs::absolute(t.target, ec), ec).string();
  }
  if (!fs::is_directory(folder, ec)) throw OutputError(name + ": " + folder.string() + " is not a folder");
  struct stat fs_st {};
  errno = 0;
  if (::stat(folder.c_str(), &fs_st) != 0 || (fs_st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0 ||
      ::access(folder.c_str(), W_OK | X_OK) != 0)
    throw OutputError(name + ": the folder " + folder.string() + " cannot be written" +
                      (errno == EROFS ? " (a read-only file system)" : ""));
  return t;
}

// ---- OutputSet ----

struct OutputSet::Item {
  OutputTarget target;
  std::string what;
  Writer write;
  std::unique_ptr<TempFile> temp;
};

OutputSet::OutputSet() = default;
OutputSet::~OutputSet() = default;

OutputSet::Item& OutputSet::add(const std::string& path, const std::string& what) {
  OutputTarget t = check_output(path, what);
  for (auto& it : items_)
    if (it->target.identity == t.identity)
      throw OutputError(named(path, what) + ": the same file as " + named(it->target.given, it->what) +
                        " (each output needs its own file)");
  items_.push_back(std::make_unique<Item>(Item{std::move(t), what, {}, {}}));
  return *items_.back();
}

void OutputSet::expect(const std::string& path, const std::string& what) { add(path, what); }

void OutputSet::stage(const std::string& path, Writer write) {
  Item* item = nullptr;
  for (auto& it : items_)
    if (it->target.given == path && !it->write) item = it.get();
  if (!item) item = &add(path, "");
  item->write = std::move(write);
}

void OutputSet::commit() {
  using Kind = OutputTarget::Kind;
  try {
    for (auto& it : items_) {  // files first: they can still be taken back
      if (!it->write || it->target.kind != Kind::kFile) continue;
      const fs::path& target = it->target.target;
      std::error_code ec;
      if (target.has_parent_path()) {
        fs::create_directories(target.parent_path(), ec);
        if (ec) throw OutputError(it->target.given + ": cannot create the folder: " + ec.message());
      }
      it->temp = std::make_unique<TempFile>(target);
      const int fd = ::open(it->temp->path().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (fd < 0) throw OutputError(it->target.given + ": cannot open for writing: " + std::strerror(errno));
      if (fs::is_regular_file(target, ec))  // a replaced file keeps its permissions
        fs::permissions(it->temp->path(), fs::status(target, ec).permissions(), ec);
      write_fd(fd, true, it->target.given, it->write);
    }
    for (auto& it : items_) {  // then pipes, devices and stdout, written through
      if (!it->write || it->target.kind == Kind::kFile) continue;
      if (it->target.kind == Kind::kStdout) {
        std::cout.flush();
        std::fflush(stdout);
        write_fd(STDOUT_FILENO, false, "-", it->write);
      } else {
        write_fd(open_stream(it->target), true, it->target.given, it->write);
      }
    }
  } catch (...) {
    for (auto& it : items_)
      if (it->temp) it->temp->remove();
    throw;
  }
  CommitGuard hold;  // every rename, or (on a signal) every rename then the exit
  for (auto& it : items_)
    if (it->temp) it->temp->commit();
}

void write_file_atomic(const fs::path& path, const Writer& write) {
  OutputSet set;
  set.stage(path.string(), write);
  set.commit();
}

// ---- TempFile ----

TempFile::TempFile(const fs::path& target) : target_(target), tmp_(temp_beside(target)) {
  sweep_once(tmp_.parent_path());  // what a killed hbar left here, once per folder and process
  slot_ = register_temp(tmp_);
}

TempFile::~TempFile() {
  if (!done_) remove();
}

void TempFile::remove() {
  std::error_code ec;
  fs::remove(tmp_, ec);
  release_temp(slot_);
  slot_ = -1;
  done_ = true;
}

void TempFile::commit() {
  CommitGuard hold;
  std::error_code ec;
  fs::rename(tmp_, target_, ec);
  if (ec) {
    remove();
    throw OutputError(target_.string() + ": cannot rename into place: " + ec.message());
  }
  release_temp(slot_);
  slot_ = -1;
  done_ = true;
}

// ---- stale temporaries and signals ----

int remove_stale_temporaries(const fs::path& folder) {
  int removed = 0;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    constexpr std::string_view kPrefix = ".hbar-tmp-";
    if (name.compare(0, kPrefix.size(), kPrefix) != 0) continue;
    const std::string rest = name.substr(kPrefix.size());
    const auto dash = rest.find('-');
    if (dash == std::string::npos || dash == 0 || dash + 1 == rest.size()) continue;
    if (rest.find_first_not_of("0123456789-") != std::string::npos) continue;
    const long pid = std::strtol(rest.c_str(), nullptr, 10);
    if (pid <= 0 || pid == ::getpid()) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // still running
    std::error_code rec;
    if (it->is_regular_file(rec) && fs::remove(it->path(), rec)) ++removed;
  }
  return removed;
}

void exit_on_signal(int sig) noexcept {
  if (g_committing.load() > 0) {
    g_pending_signal.store(sig);
    return;
  }
  leave(sig, false);
}

void set_signal_message(const std::string& program, const std::string& tail) {
  const auto copy = [](char* to, std::size_t size, const std::string& from) {
    const std::size_t n = std::min(from.size(), size - 1);
    std::memcpy(to, from.data(), n);
    to[n] = '\0';
  };
  copy(g_program, sizeof g_program, program);
  copy(g_tail, sizeof g_tail, tail);
}

namespace {
extern "C" void on_output_signal(int sig) { exit_on_signal(sig); }
}  // namespace

void install_output_signal_handlers(const std::string& program, const std::string& tail) {
  set_signal_message(program, tail);
  std::signal(SIGINT, on_output_signal);
  std::signal(SIGTERM, on_output_signal);
}

}  // namespace hbar
