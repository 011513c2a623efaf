#include "batch_assembler.h"

#include <algorithm>
#include <cstring>

namespace cassdl::io {

namespace {

size_t align8(size_t n) { return (n + 7) & ~size_t{7}; }

/** Early rows are written at index * size only while the whole batch at that size stays under this (a huge first row must not reserve n times itself). */
constexpr size_t kMaxUniformOutput = size_t{1} << 30;

}  // namespace

BatchAssembler::BatchAssembler(AssemblyConfig config, PlaneStats& stats, AssemblySink& sink)
    : config_(std::move(config)), stats_(stats), sink_(sink), ring_(config_.batchSlots) {}

// --- opening a fetch ---------------------------------------------------------

FetchJob* BatchAssembler::open(uint64_t ticket, std::vector<uint8_t> keys, bool leased, std::optional<int64_t> group) {
  std::unique_ptr<FetchJob> made = makeJob(ticket, std::move(keys), leased, group);
  FetchJob& job = *made;
  jobs_[ticket] = std::move(made);
  if (job.count() > 0) return &job;
  if (job.grouped) {
    groups_[job.group].push_back(&job);
    advanceGroup(job.group);  // empty: completes in its turn, after the jobs ahead of it
  } else {
    complete(job);
  }
  return nullptr;
}

std::unique_ptr<FetchJob> BatchAssembler::makeJob(uint64_t ticket, std::vector<uint8_t> keys, bool leased,
                                                  std::optional<int64_t> group) {
  auto job = std::make_unique<FetchJob>(&chunks_);
  job->ticket = ticket;
  job->keys = std::move(keys);
  job->leased = leased;
  if (group) {
    job->grouped = true;
    job->group = *group;
    job->outKeys.resize(job->keys.size());
  }
  if (leased) {
    job->slotIndex = ring_.acquire();
    job->slot = &ring_.slot(job->slotIndex);
  } else {
    job->own = std::make_unique<RingSlot>();
    job->slot = job->own.get();
  }
  size_t n = job->count();
  job->requests.resize(n);
  job->rows.resize(n);
  job->unsettled = n;
  job->live = n;
  for (size_t i = 0; i < n; ++i) {
    job->requests[i].job = job.get();
    job->requests[i].index = static_cast<uint32_t>(i);
  }
  // Sized from recent rows so the output rarely grows (a warm slot is already large enough).
  if (averageRowBytes_ > 0) {
    reserveData(*job, n * averageRowBytes_ + n * averageRowBytes_ / 8 + 4096, 0, n * averageRowBytes_);
  }
  if (job->grouped && n > 0) groups_[job->group].push_back(job.get());
  return job;
}

// --- rows arriving -------------------------------------------------------------

void BatchAssembler::arrived(RowRequest* request, const RowCells& cells, size_t placedBytes) {
  Place place = claim(request);
  if (place.job == nullptr) return release(request);  // rows of a failed grouped fetch: no fetch left to fill
  FetchJob& out = *place.job;
  RowOutcome& row = out.rows[place.index];
  row.intLabel = cells.intLabel;
  if (config_.labelKind == LabelKind::kBlob) {
    row.label = out.arena.copy(cells.label, cells.labelSize);
    row.labelSize = static_cast<uint32_t>(cells.labelSize);
  }
  row.size = static_cast<uint32_t>(cells.size);
  stats_.placedBytes.add(placedBytes);
  placeData(out, place.index, cells.data, cells.size);
  averageRowBytes_ = averageRowBytes_ ? (averageRowBytes_ * 7 + row.size) / 8 : row.size;
  stats_.rows.add(1);
  stats_.bytes.add(row.size + row.labelSize);
  settle(request, place);
}

void BatchAssembler::missing(RowRequest* request, const char* what) {
  FetchJob& job = *request->job;
  stats_.missing.add(1);
  if (config_.skipMissing) {
    Place place = claim(request);
    if (place.job == nullptr) return release(request);
    leaveUniform(*place.job);  // the rows after it move up: no longer at index * size
    place.job->rows[place.index].missing = true;
    settle(request, place);
    return;
  }
  std::string id = uuidText(job.key(request->index));
  std::string message = std::string(what) == "no row" ? "row " + id + " not found in " + config_.table
                                                      : "row " + id + " in " + config_.table + " has a " + what;
  ErrorInfo info = makeError("ERR_CASSDL_MISSING_ROW", message);
  info.id = id;
  info.reason = what;
  failRow(request, std::move(info));
}

BatchAssembler::Place BatchAssembler::claim(RowRequest* request) {
  FetchJob& job = *request->job;
  if (!job.grouped) return {&job, request->index};
  auto it = groups_.find(job.group);
  if (it == groups_.end() || it->second.empty()) return {};
  FetchJob& target = *it->second.front();
  uint32_t at = static_cast<uint32_t>(target.filled++);
  std::memcpy(target.outKeys.data() + 16 * size_t{at}, job.key(request->index), 16);
  return {&target, at};
}

void BatchAssembler::settle(RowRequest* request, Place place) {
  FetchJob& own = *request->job;
  FetchJob& job = *place.job;
  job.rows[place.index].settled = true;
  extendPrefix(job);
  --job.unsettled;
  --own.live;
  if (&own != &job) maybeFree(own);  // a grouped row filled another job: its own may be done with
  if (job.unsettled > 0) return;
  if (job.grouped) {
    advanceGroup(job.group);  // it is the group's front job: completes, and empty ones behind it
  } else {
    complete(job);
  }
}

void BatchAssembler::extendPrefix(FetchJob& job) {
  while (job.nextInOrder < job.count() && job.rows[job.nextInOrder].settled) {
    RowOutcome& row = job.rows[job.nextInOrder];
    if (row.early) {
      job.outUsed += row.size;  // uniform sizes: already written where the prefix now reaches
    } else if (!row.missing && !row.placed) {
      appendOut(job, row.data, row.size);
    }
    row.placed = true;
    ++job.nextInOrder;
  }
}

// --- where row bytes go ----------------------------------------------------------

void BatchAssembler::placeData(FetchJob& job, uint32_t index, const uint8_t* data, size_t size) {
  RowOutcome& row = job.rows[index];
  // The first row's size is taken as every row's; the output is reserved
  // for all rows at once, so early rows can go to index * size.
  if (!job.uniformBroken && job.uniformSize == 0 && size > 0 && size * job.count() <= kMaxUniformOutput) {
    job.uniformSize = size;
    size_t capacity = job.slot->data ? job.slot->data->capacity() : 0;
    reserveData(job, size * job.count(), capacity, size * job.count());
  }
  if (job.uniformSize == 0 || size != job.uniformSize) leaveUniform(job);
  if (index == job.nextInOrder) {
    appendOut(job, data, size);  // the one copy: socket buffer to output
    row.placed = true;
  } else if (!job.uniformBroken) {
    uint8_t* at = job.slot->data->data() + index * size;
    if (at != data) std::memmove(at, data, size);  // the one copy, early: its final offset (none if read there)
    row.early = true;
  } else {
    row.data = job.arena.copy(data, size);  // early: parked until its turn
  }
}

void BatchAssembler::leaveUniform(FetchJob& job) {
  if (job.uniformBroken) return;
  job.uniformBroken = true;
  for (size_t i = job.nextInOrder; i < job.count(); ++i) {
    RowOutcome& row = job.rows[i];
    if (!row.early) continue;
    row.data = job.arena.copy(job.slot->data->data() + i * job.uniformSize, row.size);
    row.early = false;
  }
}

void BatchAssembler::appendOut(FetchJob& job, const uint8_t* data, size_t size) {
  if (size == 0) return;  // an empty row: nothing to place (and maybe no block yet)
  std::shared_ptr<Block>& out = job.slot->data;
  size_t capacity = out ? out->capacity() : 0;
  // Keeps the whole old block: rows written early (uniform sizes) lie past outUsed.
  if (job.outUsed + size > capacity) {
    reserveData(job, std::max(job.outUsed + size, capacity * 2), capacity, job.outUsed + size);
  }
  uint8_t* at = out->data() + job.outUsed;
  if (at != data) std::memmove(at, data, size);  // equal: read straight into place
  job.outUsed += size;
}

/**
 * A large data cell is read straight to its final offset in the batch while
 * every row of the fetch has one size (then each row's offset is
 * index * size, whatever the order), so no byte of it is copied in user
 * space. The place stays the cell's only while the layout holds (spotHolds);
 * otherwise the bytes are dropped and the row read again.
 */
CellSpot BatchAssembler::cellSpot(const RowRequest& request, size_t size) const {
  const FetchJob& job = *request.job;
  // A grouped row's place is known only once it has arrived (claim).
  if (job.grouped || job.finished || job.uniformBroken || job.uniformSize != size || !job.slot->data) return {};
  const std::shared_ptr<Block>& out = job.slot->data;
  if ((request.index + 1) * size > out->capacity()) return {};
  return {out->data() + request.index * size, out};
}

bool BatchAssembler::spotHolds(const RowRequest& request) const {
  return !request.job->finished && !request.job->uniformBroken;
}

void BatchAssembler::reserveData(FetchJob& job, size_t wanted, size_t keep, size_t populate) {
  if (job.leased) {
    ring_.reserveData(job.slotIndex, wanted, keep, populate);
  } else {
    reserveBlock(job.slot->data, wanted, keep);  // handed to JS for good: a mapping of its own
  }
}

// --- failures and request lifetimes ---------------------------------------------

void BatchAssembler::failRow(RowRequest* request, ErrorInfo error) {
  FetchJob& job = *request->job;
  if (!job.grouped) {
    failJob(job, std::move(error));
    release(request);
    return;
  }
  // The fetch being filled fails; the group's other rows go on to the next one.
  auto it = groups_.find(job.group);
  FetchJob* target = it == groups_.end() || it->second.empty() ? nullptr : it->second.front();
  if (target != nullptr) {
    it->second.pop_front();
    failJob(*target, std::move(error));
  }
  int64_t group = job.group;
  release(request);
  if (target != nullptr && target != &job) maybeFree(*target);
  advanceGroup(group);
}

void BatchAssembler::release(RowRequest* request) {
  FetchJob& job = *request->job;
  --job.live;
  maybeFree(job);
}

bool BatchAssembler::abandoned(const RowRequest& request) const {
  // A grouped job's requests still feed the group after the job itself finished.
  return request.job->finished && !request.job->grouped;
}

void BatchAssembler::maybeFree(FetchJob& job) {
  if (job.finished && job.live == 0) jobs_.erase(job.ticket);
}

void BatchAssembler::failJob(FetchJob& job, ErrorInfo error) {
  if (job.finished) return;
  job.finished = true;
  returnSlot(job);  // nothing was handed out: the slot is free at once
  stats_.failures.add(1);
  sink_.fetched(job.ticket, nullptr, std::move(error));
  // Freed once its last request comes back (maybeFree), since some are still on the wire.
}

void BatchAssembler::returnSlot(FetchJob& job) {
  if (!job.leased || job.slotReturned) return;
  job.slotReturned = true;
  ring_.recycle(job.slotIndex, job.slot->generation);
}

void BatchAssembler::closeAll() {
  for (auto& entry : jobs_) {
    FetchJob& job = *entry.second;
    if (job.finished) continue;
    job.finished = true;
    returnSlot(job);
    sink_.fetched(job.ticket, nullptr,
                  makeError("ERR_CASSDL_CLOSED", "the native data plane was closed while this fetch was outstanding"));
  }
  jobs_.clear();
  groups_.clear();
}

// --- completing -----------------------------------------------------------------

void BatchAssembler::advanceGroup(int64_t group) {
  auto it = groups_.find(group);
  if (it == groups_.end()) return;
  // Empty jobs complete in their turn: once every job ahead of them did.
  while (!it->second.empty() && it->second.front()->unsettled == 0) {
    FetchJob* next = it->second.front();
    it->second.pop_front();
    complete(*next);
  }
  if (it->second.empty()) groups_.erase(it);
}

void BatchAssembler::complete(FetchJob& job) {
  size_t present = 0;
  size_t dataBytes = 0;
  size_t labelBytes = 0;
  for (const RowOutcome& row : job.rows) {
    if (row.missing) continue;
    ++present;
    dataBytes += row.size;
    labelBytes += row.labelSize;
  }
  // Offsets are 32-bit in the FetchedRows layout.
  if (dataBytes > UINT32_MAX || labelBytes > UINT32_MAX) {
    failJob(job, makeError("ERR_CASSDL_INTERNAL", "one fetch returned more than 4 GiB; fetch fewer keys at a time"));
    maybeFree(job);
    return;
  }
  std::unique_ptr<FetchOutput> output = assemble(job, present, labelBytes);
  job.finished = true;
  job.arena.clear();  // rows are in the slot now: chunks go back to the pool at once
  sink_.fetched(job.ticket, std::move(output), std::nullopt);
  maybeFree(job);
}

/** Writes the ids, offsets, labels and missing ids into the slot's meta (and label) blocks; the data is already in place. */
std::unique_ptr<FetchOutput> BatchAssembler::assemble(FetchJob& job, size_t present, size_t labelBytes) {
  size_t n = job.count();
  RingSlot& slot = *job.slot;
  LabelKind kind = config_.labelKind;
  auto output = std::make_unique<FetchOutput>();
  output->size = static_cast<uint32_t>(present);
  output->missingCount = static_cast<uint32_t>(n - present);
  output->labelKind = kind;
  output->dataBytes = job.outUsed;  // every row is settled: the data block holds all of it in key order
  output->labelBytes = labelBytes;
  // The small arrays go to the slot's meta block, each at a multiple of 8.
  output->idsAt = 0;
  output->offsetsAt = align8(present * 16);
  output->labelsAt = align8(output->offsetsAt + (present + 1) * 4);
  output->missingAt = align8(output->labelsAt + (kind != LabelKind::kNone ? (present + 1) * 4 : 0));
  reserveBlock(slot.meta, output->missingAt + (n - present) * 16, 0);
  if (!slot.data) reserveData(job, 0, 0, 0);
  if (kind == LabelKind::kBlob) reserveBlock(slot.labels, labelBytes, 0);
  uint8_t* meta = slot.meta->data();
  auto* offsets = reinterpret_cast<uint32_t*>(meta + output->offsetsAt);
  auto* labels = reinterpret_cast<uint32_t*>(meta + output->labelsAt);
  uint8_t* missingIds = meta + output->missingAt;
  uint8_t* labelData = kind == LabelKind::kBlob ? slot.labels->data() : nullptr;
  uint32_t dataAt = 0;
  uint32_t labelAt = 0;
  size_t out = 0;
  offsets[0] = 0;
  if (kind == LabelKind::kBlob) labels[0] = 0;
  for (size_t i = 0; i < n; ++i) {
    const RowOutcome& row = job.rows[i];
    if (row.missing) {
      std::memcpy(missingIds, job.outKey(i), 16);
      missingIds += 16;
      continue;
    }
    std::memcpy(meta + output->idsAt + 16 * out, job.outKey(i), 16);
    dataAt += row.size;
    offsets[out + 1] = dataAt;
    if (kind == LabelKind::kInt) labels[out] = static_cast<uint32_t>(row.intLabel);
    if (kind == LabelKind::kBlob) {
      if (row.labelSize) std::memcpy(labelData + labelAt, row.label, row.labelSize);
      labelAt += row.labelSize;
      labels[out + 1] = labelAt;
    }
    ++out;
  }
  output->slot = job.slotIndex;
  output->generation = slot.generation;
  output->leased = job.leased;
  output->data = slot.data;
  output->meta = slot.meta;
  output->labels = slot.labels;
  return output;
}

}  // namespace cassdl::io
