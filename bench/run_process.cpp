// gls-bench-run: runs one program and reports what it cost, as one JSON line
// on stdout:
//
//   gls-bench-run [--stdout FILE] [--stderr FILE] [--tag KEY=VALUE]... -- PROGRAM [ARGS...]
//
//   {"kind":"run","tool":"ours","rep":1,"wallMs":12.3,"userCpuMs":8.0,"sysCpuMs":2.0,
//    "maxRssKiB":23456,"exitCode":0,"signal":0}
//
// wallMs is from just before fork() to wait4() returning (CLOCK_MONOTONIC):
// the time a user or a script waits for the program. userCpuMs, sysCpuMs and
// maxRssKiB are the child's own, from wait4()'s rusage (maxRssKiB: its peak
// resident set, which for a program that exec()s another is the larger of the
// two). The child's stdout goes to FILE (default /dev/null), its stderr to
// FILE (default: inherited); its environment is ours.
//
// A tag whose value is a whole number is written as a number, others as
// strings. Exit status: the child's (128 + N when signal N ended it); 127
// when it could not be started (and no JSON line).
//
// Plain POSIX and C++, no Qt: the runner itself costs next to nothing and
// loads nothing the measured program could then find warm.

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

namespace {

void usage()
{
    std::fputs("usage: gls-bench-run [--stdout FILE] [--stderr FILE] [--tag KEY=VALUE]... -- PROGRAM [ARGS...]\n",
               stderr);
}

std::string jsonString(std::string_view s)
{
    std::string out = "\"";
    for (const char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += c;
            }
        }
    }
    out += '"';
    return out;
}

bool isWholeNumber(std::string_view s)
{
    if (s.empty() || s.size() > 15)
        return false;
    const size_t start = s[0] == '-' ? 1 : 0;
    if (start == s.size() || (s[start] == '0' && s.size() > start + 1))
        return false;
    for (size_t i = start; i < s.size(); ++i) {
        if (s[i] < '0' || s[i] > '9')
            return false;
    }
    return true;
}

double ms(const timeval &t)
{
    return double(t.tv_sec) * 1e3 + double(t.tv_usec) / 1e3;
}

double nowMs()
{
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

// Opens `path` on `fd` in the child; false (with errno set) on failure.
bool redirect(const char *path, int fd, int flags)
{
    const int f = ::open(path, flags, 0644);
    if (f < 0)
        return false;
    if (f != fd) {
        if (::dup2(f, fd) < 0)
            return false;
        ::close(f);
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    std::string stdoutPath = "/dev/null";
    std::string stderrPath;
    std::vector<std::pair<std::string, std::string>> tags;
    int i = 1;
    for (; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--") {
            ++i;
            break;
        }
        if ((a == "--stdout" || a == "--stderr" || a == "--tag") && i + 1 < argc) {
            const std::string value = argv[++i];
            if (a == "--stdout") {
                stdoutPath = value;
            } else if (a == "--stderr") {
                stderrPath = value;
            } else {
                const size_t eq = value.find('=');
                if (eq == std::string::npos || eq == 0) {
                    std::fprintf(stderr, "gls-bench-run: --tag wants KEY=VALUE, not '%s'\n", value.c_str());
                    return 2;
                }
                tags.emplace_back(value.substr(0, eq), value.substr(eq + 1));
            }
            continue;
        }
        if (a == "-h" || a == "--help") {
            usage();
            return 0;
        }
        std::fprintf(stderr, "gls-bench-run: unknown argument '%s'\n", argv[i]);
        usage();
        return 2;
    }
    if (i >= argc) {
        usage();
        return 2;
    }
    char **command = argv + i;

    // A pipe that closes on a successful exec: a failed exec writes its errno into it.
    int execErr[2];
    if (::pipe2(execErr, O_CLOEXEC) != 0) {
        std::perror("gls-bench-run: pipe");
        return 127;
    }
    std::fflush(nullptr);
    const double started = nowMs();
    const pid_t pid = ::fork();
    if (pid < 0) {
        std::perror("gls-bench-run: fork");
        return 127;
    }
    if (pid == 0) {
        ::close(execErr[0]);
        int err = 0;
        if (!redirect(stdoutPath.c_str(), STDOUT_FILENO, O_WRONLY | O_CREAT | O_TRUNC)
            || (!stderrPath.empty() && !redirect(stderrPath.c_str(), STDERR_FILENO, O_WRONLY | O_CREAT | O_TRUNC))) {
            err = errno;
        } else {
            ::execvp(command[0], command);
            err = errno;
        }
        [[maybe_unused]] const ssize_t n = ::write(execErr[1], &err, sizeof err);
        ::_exit(127);
    }
    ::close(execErr[1]);
    int status = 0;
    rusage usage{};
    pid_t waited;
    do {
        waited = ::wait4(pid, &status, 0, &usage);
    } while (waited < 0 && errno == EINTR);
    const double wallMs = nowMs() - started;
    int childErr = 0;
    const ssize_t got = ::read(execErr[0], &childErr, sizeof childErr);
    ::close(execErr[0]);
    if (waited < 0) {
        std::perror("gls-bench-run: wait4");
        return 127;
    }
    if (got == ssize_t(sizeof childErr)) {
        std::fprintf(stderr, "gls-bench-run: cannot run %s: %s\n", command[0], std::strerror(childErr));
        return 127;
    }

    const int exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    const int signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    std::string line = "{\"kind\":\"run\"";
    for (const auto &[key, value] : tags) {
        line += ',';
        line += jsonString(key);
        line += ':';
        line += isWholeNumber(value) ? value : jsonString(value);
    }
    char figures[256];
    std::snprintf(figures, sizeof figures,
                  ",\"wallMs\":%.3f,\"userCpuMs\":%.3f,\"sysCpuMs\":%.3f,\"maxRssKiB\":%ld,\"exitCode\":%d,\"signal\":%d}",
                  wallMs, ms(usage.ru_utime), ms(usage.ru_stime), usage.ru_maxrss, exitCode, signal);
    line += figures;
    std::printf("%s\n", line.c_str());
    return signal ? 128 + signal : exitCode;
}
