#include "plan_config.h"

namespace cassdl::binding {

namespace {

class Fields {
 public:
  explicit Fields(const Napi::Object& object) : object_(object) {}

  std::optional<std::string> error;

  double number(const char* name) {
    Napi::Value v = object_.Get(name);
    if (!v.IsNumber()) return fail(name, "a number"), 0;
    return v.As<Napi::Number>().DoubleValue();
  }
  bool boolean(const char* name) {
    Napi::Value v = object_.Get(name);
    if (!v.IsBoolean()) return fail(name, "a boolean"), false;
    return v.As<Napi::Boolean>().Value();
  }
  std::string string(const char* name) {
    Napi::Value v = object_.Get(name);
    if (!v.IsString()) return fail(name, "a string"), "";
    return v.As<Napi::String>().Utf8Value();
  }
  /** A string, or nullopt for null/undefined. */
  std::optional<std::string> nullable(const char* name) {
    Napi::Value v = object_.Get(name);
    if (v.IsNull() || v.IsUndefined()) return std::nullopt;
    if (!v.IsString()) return fail(name, "a string or null"), std::nullopt;
    return v.As<Napi::String>().Utf8Value();
  }
  std::vector<uint8_t> bytes(const char* name, bool optional = false) {
    Napi::Value v = object_.Get(name);
    if (optional && (v.IsNull() || v.IsUndefined())) return {};
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
      return fail(name, "a Uint8Array"), std::vector<uint8_t>{};
    }
    auto array = v.As<Napi::Uint8Array>();
    return {array.Data(), array.Data() + array.ElementLength()};
  }
  template <typename Array>
  Array typed(const char* name, napi_typedarray_type type) {
    Napi::Value v = object_.Get(name);
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type) {
      fail(name, "a typed array of the right kind");
      return Array();
    }
    return v.As<Array>();
  }
  Napi::Array array(const char* name) {
    Napi::Value v = object_.Get(name);
    if (!v.IsArray()) return fail(name, "an array"), Napi::Array();
    return v.As<Napi::Array>();
  }

  void fail(const char* name, const char* expected) {
    if (!error) error = std::string("native config.") + name + ": expected " + expected;
  }

 private:
  Napi::Object object_;
};

}  // namespace

std::optional<std::string> readPlaneConfig(const Napi::Object& object, io::PlaneConfig& out) {
  Fields f(object);
  Napi::Array hosts = f.array("hosts");
  if (f.error) return f.error;
  for (uint32_t i = 0; i < hosts.Length(); ++i) {
    Napi::Value value = hosts.Get(i);
    if (!value.IsObject()) return "native config.hosts[" + std::to_string(i) + "]: expected an object";
    Fields host(value.As<Napi::Object>());
    io::HostConfig config;
    config.address = host.string("address");
    config.port = static_cast<uint16_t>(host.number("port"));
    config.up = host.boolean("up");
    config.sniName = host.nullable("sniName").value_or("");
    if (host.error) return host.error;
    out.hosts.push_back(std::move(config));
  }

  auto tokens = f.typed<Napi::BigInt64Array>("ringTokens", napi_bigint64_array);
  auto starts = f.typed<Napi::Int32Array>("ringStarts", napi_int32_array);
  auto replicas = f.typed<Napi::Int32Array>("ringReplicas", napi_int32_array);
  auto preferred = f.typed<Napi::Int32Array>("ringPreferred", napi_int32_array);
  auto retryCodes = f.typed<Napi::Int32Array>("retryServerCodes", napi_int32_array);
  if (f.error) return f.error;
  out.retryServerCodes.assign(retryCodes.Data(), retryCodes.Data() + retryCodes.ElementLength());
  size_t ranges = tokens.ElementLength();
  if (ranges == 0 || starts.ElementLength() != ranges + 1 || preferred.ElementLength() != ranges) {
    return std::string("native config.ring*: inconsistent ring arrays");
  }
  std::vector<int64_t> ringTokens(tokens.Data(), tokens.Data() + ranges);
  std::vector<io::Replicas> ringReplicas(ranges);
  for (size_t r = 0; r < ranges; ++r) {
    int32_t begin = starts[r];
    int32_t end = starts[r + 1];
    if (begin < 0 || end <= begin || static_cast<size_t>(end) > replicas.ElementLength()) {
      return "native config.ringStarts[" + std::to_string(r) + "]: out of range";
    }
    for (int32_t k = begin; k < end; ++k) {
      if (replicas[k] < 0 || static_cast<size_t>(replicas[k]) >= out.hosts.size()) {
        return "native config.ringReplicas[" + std::to_string(k) + "]: not a host index";
      }
      ringReplicas[r].hosts.push_back(replicas[k]);
    }
    ringReplicas[r].preferred = static_cast<size_t>(std::clamp<int32_t>(preferred[r], 1, end - begin));
  }
  out.ring = io::TokenRing(std::move(ringTokens), std::move(ringReplicas));

  out.version = static_cast<uint8_t>(f.number("version"));
  out.query = f.string("query");
  out.consistency = static_cast<uint16_t>(f.number("consistency"));
  out.labelKind = static_cast<io::LabelKind>(static_cast<int>(f.number("labelKind")));
  out.table = f.string("table");
  Napi::Value username = object.Get("username");
  if (username.IsString()) out.credentials = net::Credentials{username.As<Napi::String>(), f.string("password")};
  Napi::Value tls = object.Get("tls");
  if (tls.IsObject()) {
    Fields t(tls.As<Napi::Object>());
    auto text = [&t](const char* name) {
      return t.nullable(name);
    };
    net::TlsConfig config;
    config.ca = text("ca").value_or("");
    config.cert = text("cert").value_or("");
    config.key = text("key").value_or("");
    config.passphrase = text("passphrase");
    config.serverName = text("serverName").value_or("");
    config.rejectUnauthorized = t.boolean("rejectUnauthorized");
    if (t.error) return t.error;
    out.tls = std::move(config);
  }
  Napi::Value proxy = object.Get("proxy");
  if (proxy.IsObject()) {
    Fields p(proxy.As<Napi::Object>());
    io::ProxyConfig config;
    config.address = p.string("address");
    config.port = static_cast<uint16_t>(p.number("port"));
    if (p.error) return p.error;
    if (!out.tls) return std::string("native config.proxy: an SNI proxy needs tls");
    out.proxy = std::move(config);
  }
  out.connectTimeoutMs = static_cast<uint64_t>(f.number("connectTimeoutMs"));
  out.requestTimeoutMs = static_cast<uint64_t>(f.number("requestTimeoutMs"));
  out.connectionsPerHost = static_cast<int>(f.number("connectionsPerHost"));
  out.inflight = static_cast<int>(f.number("inflight"));
  out.skipMissing = f.boolean("skipMissing");
  out.maxAttempts = static_cast<int>(f.number("maxAttempts"));
  out.baseDelayMs = static_cast<uint64_t>(f.number("baseDelayMs"));
  out.maxDelayMs = static_cast<uint64_t>(f.number("maxDelayMs"));
  if (!object.Get("batchSlots").IsUndefined()) out.batchSlots = static_cast<size_t>(f.number("batchSlots"));
  return f.error;
}

}  // namespace cassdl::binding
