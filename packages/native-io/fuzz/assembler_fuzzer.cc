// libFuzzer target over the batch assembler: the input chooses the fetches
// (sizes, leased or not, ooo groups, empty ones), the labels and
// skipMissing, then the order rows arrive in, their sizes (one per fetch,
// or each its own), which are missing, which fail, which are read straight
// into their spot in the batch, and whether the plane closes midway. The
// rows go through the assembler the way the data plane drives it (a request
// of a finished fetch is released, never answered), and an independent
// model of the same rules says what each fetch must end as: every fetch is
// answered exactly once; a completed one holds exactly the rows the model
// put at each position (ids, bytes, offsets, labels, missing ids); a failed
// one failed with the model's error. At the end no job, ring slot or arena
// byte is left, and ASan's leak check sees no allocation left.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "../src/io/batch_assembler.h"
#include "../test/native/fetch_output_reader.h"

using namespace cassdl;

namespace {

using Bytes = std::vector<uint8_t>;

void require(bool ok) {
  if (!ok) std::abort();
}

/** The input as a stream of choices; zeros once it runs out. */
class Choices {
 public:
  Choices(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t byte() { return at_ < size_ ? data_[at_++] : 0; }
  size_t below(size_t n) { return n == 0 ? 0 : (size_t{byte()} << 8 | byte()) % n; }
  bool empty() const { return at_ >= size_; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t at_ = 0;
};

Bytes keyOf(uint32_t id) {
  Bytes key(16, 0xab);
  std::memcpy(key.data(), &id, sizeof id);
  return key;
}

Bytes rowOf(uint32_t id, size_t size) {
  Bytes row(size);
  for (size_t i = 0; i < size; ++i) row[i] = static_cast<uint8_t>(id * 131 + i * 7);
  return row;
}

/** What a fetch must end as, by the model. */
struct Expected {
  size_t count = 0;
  std::optional<int64_t> group;
  bool finished = false;
  std::string error;  // empty: completed
  std::vector<fixtures::ReadRow> rows;
  std::vector<Bytes> missing;
};

/** The assembler's rules, written plainly: where each row goes and when a fetch finishes. */
class Model {
 public:
  std::map<uint64_t, Expected> fetches;

  void open(uint64_t ticket, size_t count, std::optional<int64_t> group) {
    Expected& fetch = fetches[ticket];
    fetch.count = count;
    fetch.group = group;
    if (!group) {
      if (count == 0) fetch.finished = true;
      return;
    }
    groups_[*group].push_back(ticket);
    advance(*group);
  }
  /** A row (or a skipped missing one) for a request of `ticket`, at `index`; false: nowhere to go. */
  bool place(uint64_t ticket, size_t index, const fixtures::ReadRow& row, bool missing) {
    uint64_t target = ticket;
    Expected& own = fetches[ticket];
    if (own.group) {
      std::deque<uint64_t>& queue = groups_[*own.group];
      if (queue.empty()) return false;
      target = queue.front();
    }
    Expected& fetch = fetches[target];
    if (missing) {
      fetch.missing.push_back(row.key);
    } else {
      fetch.rows.push_back(row);
    }
    (void)index;  // ungrouped rows are sorted into key order by the caller's index at the end
    if (fetch.rows.size() + fetch.missing.size() == fetch.count) {
      if (fetch.group) {
        advance(*fetch.group);
      } else {
        fetch.finished = true;
      }
    }
    return true;
  }
  void fail(uint64_t ticket, const std::string& code) {
    Expected& own = fetches[ticket];
    if (!own.group) {
      if (!own.finished) {
        own.finished = true;
        own.error = code;
      }
      return;
    }
    std::deque<uint64_t>& queue = groups_[*own.group];
    if (!queue.empty()) {
      Expected& front = fetches[queue.front()];
      front.finished = true;
      front.error = code;
      queue.pop_front();
    }
    advance(*own.group);
  }
  bool finished(uint64_t ticket) { return fetches[ticket].finished; }
  bool grouped(uint64_t ticket) { return fetches[ticket].group.has_value(); }
  void closeAll() {
    for (auto& [ticket, fetch] : fetches) {
      if (fetch.finished) continue;
      fetch.finished = true;
      fetch.error = "ERR_CASSDL_CLOSED";
    }
  }

 private:
  void advance(int64_t group) {
    std::deque<uint64_t>& queue = groups_[group];
    while (!queue.empty()) {
      Expected& front = fetches[queue.front()];
      if (front.rows.size() + front.missing.size() < front.count) break;
      front.finished = true;
      queue.pop_front();
    }
  }
  std::map<int64_t, std::deque<uint64_t>> groups_;
};

struct Answer {
  std::unique_ptr<io::FetchOutput> output;
  std::optional<io::ErrorInfo> error;
  int calls = 0;
};

class Sink final : public io::AssemblySink {
 public:
  std::map<uint64_t, Answer> answers;
  void fetched(uint64_t ticket, std::unique_ptr<io::FetchOutput> output, std::optional<io::ErrorInfo> error) override {
    Answer& answer = answers[ticket];
    ++answer.calls;
    answer.output = std::move(output);
    answer.error = std::move(error);
  }
};

struct Pending {
  uint64_t ticket;
  size_t index;
};

struct Run {
  io::AssemblyConfig config;
  io::PlaneStats stats;
  Sink sink;
  std::unique_ptr<io::BatchAssembler> assembler;
  Model model;
  std::map<uint64_t, io::FetchJob*> jobs;
  /** Per fetch: the id of each key, and the size its rows take when sizes are uniform (0: each its own). */
  std::map<uint64_t, std::vector<uint32_t>> ids;
  std::map<uint64_t, size_t> uniform;
  /** Ungrouped fetches keep key order: the model's rows are sorted by index once they are complete. */
  std::map<uint64_t, std::map<size_t, fixtures::ReadRow>> byIndex;
  std::map<uint64_t, std::map<size_t, Bytes>> missingByIndex;
  std::vector<Pending> pending;
};

size_t sizeFor(Run& run, Choices& in, uint64_t ticket) {
  if (run.uniform[ticket] > 0) return run.uniform[ticket] - 1;
  uint8_t pick = in.byte();
  if (pick < 8) return 0;
  if (pick > 250) return 3000 + in.below(5000);  // grows the batch past its first reservation
  return pick;
}

void openFetches(Run& run, Choices& in) {
  size_t fetches = 1 + in.below(6);
  uint32_t nextId = 1;
  for (uint64_t ticket = 1; ticket <= fetches; ++ticket) {
    size_t count = in.below(10);
    bool leased = in.byte() & 1;
    uint8_t groupPick = in.byte() % 4;
    std::optional<int64_t> group = groupPick < 2 ? std::optional<int64_t>(groupPick) : std::nullopt;
    uint8_t sizePick = in.byte();
    run.uniform[ticket] = sizePick & 1 ? 1 + sizePick / 2 : 0;
    Bytes keys;
    for (size_t i = 0; i < count; ++i) {
      run.ids[ticket].push_back(nextId);
      Bytes key = keyOf(nextId++);
      keys.insert(keys.end(), key.begin(), key.end());
    }
    run.model.open(ticket, count, group);
    io::FetchJob* job = run.assembler->open(ticket, keys, leased, group);
    require((job == nullptr) == (count == 0));
    run.jobs[ticket] = job;
    for (size_t i = 0; i < count; ++i) run.pending.push_back({ticket, i});
  }
}

/** Hands the request one outcome, as the data plane would after its answer. */
void answer(Run& run, Choices& in, Pending at) {
  io::RowRequest* request = &run.jobs[at.ticket]->requests[at.index];
  bool abandoned = run.assembler->abandoned(*request);
  require(abandoned == (run.model.finished(at.ticket) && !run.model.grouped(at.ticket)));
  if (abandoned) return run.assembler->release(request);
  uint32_t id = run.ids[at.ticket][at.index];
  uint8_t outcome = in.byte();
  fixtures::ReadRow row;
  row.key = keyOf(id);
  if (outcome < 16) {  // failed for good (no replica, server error)
    run.model.fail(at.ticket, "ERR_FUZZ");
    return run.assembler->failRow(request, io::makeError("ERR_FUZZ", "row failed"));
  }
  if (outcome < 40) {  // missing
    if (!run.config.skipMissing) {
      run.model.fail(at.ticket, "ERR_CASSDL_MISSING_ROW");
    } else if (run.model.place(at.ticket, at.index, row, true) && !run.model.grouped(at.ticket)) {
      run.missingByIndex[at.ticket][at.index] = row.key;
    }
    return run.assembler->missing(request, outcome & 1 ? "no row" : "null label");
  }
  size_t size = sizeFor(run, in, at.ticket);
  row.data = rowOf(id, size);
  if (run.config.labelKind == io::LabelKind::kInt) row.intLabel = static_cast<int32_t>(id * 2654435761u);
  if (run.config.labelKind == io::LabelKind::kBlob) row.label = rowOf(id ^ 0x55, in.below(20));
  io::RowCells cells{row.data.data(), row.data.size(), row.label.data(), row.label.size(), row.intLabel};
  size_t placed = 0;
  if (outcome & 1) {  // read straight into its spot in the batch, when it has one
    io::CellSpot spot = run.assembler->cellSpot(*request, size);
    if (spot.at != nullptr && run.assembler->spotHolds(*request)) {
      std::memcpy(spot.at, row.data.data(), size);
      cells.data = spot.at;
      placed = size;
    }
  }
  if (run.model.place(at.ticket, at.index, row, false) && !run.model.grouped(at.ticket)) {
    run.byIndex[at.ticket][at.index] = row;
  }
  run.assembler->arrived(request, cells, placed);
}

/** Ungrouped fetches list rows in key order whatever order they arrived in. */
void sortUngrouped(Run& run) {
  for (auto& [ticket, fetch] : run.model.fetches) {
    if (fetch.group) continue;
    fetch.rows.clear();
    fetch.missing.clear();
    for (auto& [index, row] : run.byIndex[ticket]) fetch.rows.push_back(row);
    for (auto& [index, key] : run.missingByIndex[ticket]) fetch.missing.push_back(key);
  }
}

void checkAnswers(Run& run) {
  sortUngrouped(run);
  for (auto& [ticket, fetch] : run.model.fetches) {
    Answer& answer = run.sink.answers[ticket];
    require(answer.calls == (fetch.finished ? 1 : 0));
    if (!fetch.finished) continue;
    if (!fetch.error.empty()) {
      require(!answer.output && answer.error && answer.error->code == fetch.error);
      continue;
    }
    require(answer.output && !answer.error);
    fixtures::ReadOutput read = fixtures::readOutput(*answer.output);
    require(read.ok);
    require(read.rows.size() == fetch.rows.size() && read.missing == fetch.missing);
    for (size_t i = 0; i < read.rows.size(); ++i) {
      require(read.rows[i].key == fetch.rows[i].key && read.rows[i].data == fetch.rows[i].data);
      require(read.rows[i].intLabel == fetch.rows[i].intLabel && read.rows[i].label == fetch.rows[i].label);
    }
    if (answer.output->leased) require(run.assembler->ring().recycle(answer.output->slot, answer.output->generation));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Choices in(data, size);
  Run run;
  uint8_t setup = in.byte();
  run.config.labelKind = static_cast<io::LabelKind>(setup % 3);
  run.config.skipMissing = setup & 4;
  run.config.batchSlots = 1 + (setup >> 4) % 3;
  run.assembler = std::make_unique<io::BatchAssembler>(run.config, run.stats, run.sink);
  openFetches(run, in);
  while (!run.pending.empty()) {
    if (in.byte() == 0xff && in.byte() == 0xff) {  // the plane closes with rows still out
      run.assembler->closeAll();
      run.model.closeAll();
      break;
    }
    size_t pick = in.below(run.pending.size());
    Pending at = run.pending[pick];
    run.pending.erase(run.pending.begin() + static_cast<ptrdiff_t>(pick));
    answer(run, in, at);
  }
  checkAnswers(run);
  require(run.assembler->jobCount() == 0);
  require(run.assembler->chunks().bytes() == 0);
  require(run.assembler->ring().stats().busy == 0);  // failed and closed fetches gave theirs back, the rest were recycled
  return 0;
}
