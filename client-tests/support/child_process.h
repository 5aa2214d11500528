#pragma once

// The graphfake binary (GRAPHFAKE_BINARY) as a child process, for the tests
// that run it as CI does.
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace graphfake::testing {

// A running graphfake process with its stdout and stderr captured; killed
// if still running when destroyed.
class Child {
 public:
  explicit Child(std::vector<std::string> arguments) {
    int out[2];
    int err[2];
    if (pipe(out) != 0 || pipe(err) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addclose(&actions, err[0]);

    arguments.insert(arguments.begin(), GRAPHFAKE_BINARY);
    std::vector<char*> argv;
    for (auto& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, GRAPHFAKE_BINARY, &actions, nullptr, argv.data(), environ) != 0) {
      throw std::runtime_error("cannot start " + std::string(GRAPHFAKE_BINARY));
    }
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    close(err[1]);
    stdout_ = out[0];
    stderr_ = err[0];
  }

  ~Child() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(stdout_);
    close(stderr_);
  }

  // The first line on stdout; empty if the process closed it first. The
  // deadline only keeps a broken binary from hanging the suite.
  std::string read_line() {
    std::string line;
    char c = 0;
    while (true) {
      pollfd ready{stdout_, POLLIN, 0};
      if (poll(&ready, 1, 30'000) <= 0) return line;
      if (read(stdout_, &c, 1) != 1 || c == '\n') return line;
      line.push_back(c);
    }
  }

  std::string read_stderr() {
    std::string text;
    char buffer[4096];
    ssize_t n = 0;
    while ((n = read(stderr_, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<std::size_t>(n));
    return text;
  }

  // Exit status once the process ends (-1 if killed by a signal).
  int wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  void signal(int number) { kill(pid_, number); }

 private:
  pid_t pid_ = -1;
  int stdout_ = -1;
  int stderr_ = -1;
};

}  // namespace graphfake::testing
