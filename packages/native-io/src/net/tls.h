// TLS with the OpenSSL that Node itself links (its headers ship with Node's,
// its symbols are exported by the node binary): one SSL_CTX per data plane
// holding the CA, the client certificate and key; one SSL per connection with
// SNI and host name (or IP) verification. Behind an SNI proxy (Astra) each
// connection sends its host's own SNI name while the certificate is checked
// against the proxy's name, as the DataStax drivers do.
#pragma once

#include <memory>
#include <optional>
#include <string>

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;

namespace cassdl::net {

struct TlsConfig {
  /** PEM CA bundle; empty: the system store. */
  std::string ca;
  std::string cert;
  std::string key;
  std::optional<std::string> passphrase;
  /** The name checked in the certificate, and SNI unless a connection has its own; empty: the address connected to is checked. */
  std::string serverName;
  bool rejectUnauthorized = true;
};

class TlsContext {
 public:
  /** Builds the context, or says what is wrong with the material (never quoting a passphrase). */
  static std::unique_ptr<TlsContext> create(const TlsConfig& config, std::string& error);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  /**
   * A client session for a connection to `address` (the IP connected to),
   * with SNI and name checks set up; a non-empty `sniName` is sent as SNI in
   * place of `serverName`.
   */
  SSL* newSession(const std::string& address, const std::string& sniName, std::string& error) const;

 private:
  TlsContext(SSL_CTX* ctx, TlsConfig config) : ctx_(ctx), config_(std::move(config)) {}
  SSL_CTX* ctx_;
  TlsConfig config_;
};

/** The most useful description of the last TLS failure on this thread (verify result first). */
std::string tlsErrorText(SSL* ssl);

}  // namespace cassdl::net
