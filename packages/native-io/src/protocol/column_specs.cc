#include "column_specs.h"

namespace cassdl::protocol {

namespace {

/** Nesting cap for collection/UDT/tuple types: deeper means a hostile frame. */
constexpr int kMaxTypeDepth = 16;

/** Reads a type option; its id goes to `id`, its parameters (element types, UDT fields) are skipped. */
bool readTypeOption(ByteReader& r, int depth, uint16_t& id) {
  if (depth > kMaxTypeDepth) return r.fail("column type nested deeper than " + std::to_string(kMaxTypeDepth));
  if (!r.u16(id, "column type id")) return false;
  std::string ignored;
  uint16_t inner = 0;
  switch (id) {
    case 0x0000:  // custom: class name
      return r.string(ignored, "custom type class");
    case 0x0020:  // list
    case 0x0022:  // set
      return readTypeOption(r, depth + 1, inner);
    case 0x0021:  // map
      return readTypeOption(r, depth + 1, inner) && readTypeOption(r, depth + 1, inner);
    case 0x0030: {  // UDT: keyspace, name, n fields of (name, type)
      uint16_t n = 0;
      if (!r.string(ignored, "UDT keyspace") || !r.string(ignored, "UDT name") || !r.u16(n, "UDT field count")) {
        return false;
      }
      for (uint16_t i = 0; i < n; ++i) {
        if (!r.string(ignored, "UDT field name") || !readTypeOption(r, depth + 1, inner)) return false;
      }
      return true;
    }
    case 0x0031: {  // tuple
      uint16_t n = 0;
      if (!r.u16(n, "tuple size")) return false;
      for (uint16_t i = 0; i < n; ++i) {
        if (!readTypeOption(r, depth + 1, inner)) return false;
      }
      return true;
    }
    default:
      if (id > 0x0031) return r.fail("unknown column type id " + std::to_string(id));
      return true;  // a native type: the id is all there is
  }
}

}  // namespace

bool readColumnSpecs(ByteReader& r, int32_t flags, int32_t columns, std::vector<ColumnSpec>* out) {
  std::string ignored;
  if (flags & kMetadataGlobalTablesSpec) {
    if (!r.string(ignored, "keyspace") || !r.string(ignored, "table")) return false;
  }
  for (int32_t i = 0; i < columns; ++i) {
    if (!(flags & kMetadataGlobalTablesSpec)) {
      if (!r.string(ignored, "column keyspace") || !r.string(ignored, "column table")) return false;
    }
    ColumnSpec spec;
    if (!r.string(spec.name, "column name") || !readTypeOption(r, 0, spec.type)) return false;
    if (out != nullptr) out->push_back(std::move(spec));
  }
  return true;
}

std::string typeName(uint16_t type) {
  switch (type) {
    case 0x0001: return "ascii";
    case 0x0002: return "bigint";
    case kTypeBlob: return "blob";
    case 0x0004: return "boolean";
    case 0x0009: return "int";
    case 0x000d: return "varchar";
    case 0x000c: return "uuid";
    case 0x0020: return "list";
    case 0x0021: return "map";
    case 0x0022: return "set";
    default: {
      static const char* hex = "0123456789abcdef";
      std::string text = "type 0x0000";
      for (int i = 0; i < 4; ++i) text[7 + i] = hex[(type >> (12 - 4 * i)) & 0xf];
      return text;
    }
  }
}

}  // namespace cassdl::protocol
