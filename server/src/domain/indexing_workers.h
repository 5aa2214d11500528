#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>
#include <vector>

#include "data/gzip_stream.h"

namespace graphfake::domain {

// A few threads that build blobs' gzip indexes beside the requests that
// want them: a request streaming a blob whose index is being built, or
// waiting for it, has these compress the segments it has not reached, so
// the pass uses every core; and a published manifest's large blobs are
// indexed before anyone asks. Passes a request wants go before those
// indexed ahead. A pass nobody holds any more (its manifest forgotten, no
// request reading it) is dropped. The threads start with the first pass and
// are stopped and joined with the workers, or once `stop` is requested.
class IndexingWorkers {
 public:
  IndexingWorkers(std::size_t threads, std::stop_token stop);
  ~IndexingWorkers();
  IndexingWorkers(const IndexingWorkers&) = delete;
  IndexingWorkers& operator=(const IndexingWorkers&) = delete;

  // A request wants `pass`: worked on before any pass indexed ahead.
  void wanted(const std::shared_ptr<data::GzipIndexing>& pass);
  // `pass` may be wanted soon: worked on when no wanted pass has work left.
  // Refused after stop_ahead().
  void ahead(const std::shared_ptr<data::GzipIndexing>& pass);
  // Drops the passes queued ahead, and takes none from now on; wanted
  // passes are still worked on (a reset: the requests of the service it
  // replaces finish, nothing more is indexed for them).
  void stop_ahead();

 private:
  using Queue = std::deque<std::weak_ptr<data::GzipIndexing>>;
  void run(std::stop_token stop);
  // The first pass with work left, dropping those without; null if none.
  std::shared_ptr<data::GzipIndexing> next_pass();
  void start_threads();  // with the lock held

  const std::size_t thread_count_;
  std::stop_source stopping_;
  std::optional<std::stop_callback<std::function<void()>>> stop_with_;
  std::mutex mutex_;
  std::condition_variable_any ready_;
  Queue wanted_;
  Queue ahead_;
  bool ahead_stopped_ = false;
  std::vector<std::jthread> threads_;
};

}  // namespace graphfake::domain
