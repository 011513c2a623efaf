#include "tls.h"

#include <arpa/inet.h>
#include <cstring>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace cassdl::net {

namespace {

std::string lastError(const char* what) {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return what;
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof buffer);
  return std::string(what) + ": " + buffer;
}

/** Never prompts on a terminal (OpenSSL's default): no passphrase means the key must not be encrypted. */
int passphraseCallback(char* buffer, int size, int, void* user) {
  const auto* passphrase = static_cast<const std::optional<std::string>*>(user);
  if (!passphrase->has_value() || (*passphrase)->size() > static_cast<size_t>(size)) return 0;
  std::memcpy(buffer, (*passphrase)->data(), (*passphrase)->size());
  return static_cast<int>((*passphrase)->size());
}

bool isIpAddress(const std::string& name) {
  unsigned char buffer[sizeof(in6_addr)];
  return inet_pton(AF_INET, name.c_str(), buffer) == 1 || inet_pton(AF_INET6, name.c_str(), buffer) == 1;
}

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using Bio = std::unique_ptr<BIO, BioDeleter>;

Bio memoryBio(const std::string& pem) { return Bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))); }

bool loadCa(SSL_CTX* ctx, const std::string& pem, std::string& error) {
  if (pem.empty()) {
    if (SSL_CTX_set_default_verify_paths(ctx) != 1) return error = lastError("cannot load the system CA store"), false;
    return true;
  }
  Bio bio = memoryBio(pem);
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  int added = 0;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    X509_STORE_add_cert(store, cert);
    X509_free(cert);
    ++added;
  }
  ERR_clear_error();  // the loop ends on "no start line"
  if (added == 0) return error = "tls.ca holds no PEM certificate", false;
  return true;
}

bool loadClientIdentity(SSL_CTX* ctx, const TlsConfig& config, std::string& error) {
  if (config.cert.empty() && config.key.empty()) return true;
  if (config.cert.empty() || config.key.empty()) return error = "tls.cert and tls.key go together", false;
  Bio certBio = memoryBio(config.cert);
  X509* cert = PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr);
  if (cert == nullptr) return error = lastError("tls.cert is not a PEM certificate"), false;
  int used = SSL_CTX_use_certificate(ctx, cert);
  X509_free(cert);
  if (used != 1) return error = lastError("tls.cert was refused"), false;
  Bio keyBio = memoryBio(config.key);
  auto* passphrase = const_cast<std::optional<std::string>*>(&config.passphrase);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(keyBio.get(), nullptr, passphraseCallback, passphrase);
  if (key == nullptr) {
    error = lastError(config.passphrase ? "tls.key cannot be read with the given passphrase"
                                        : "tls.key cannot be read (encrypted keys need tls.passphrase)");
    return false;
  }
  used = SSL_CTX_use_PrivateKey(ctx, key);
  EVP_PKEY_free(key);
  if (used != 1 || SSL_CTX_check_private_key(ctx) != 1) return error = lastError("tls.key does not match tls.cert"), false;
  return true;
}

}  // namespace

std::unique_ptr<TlsContext> TlsContext::create(const TlsConfig& config, std::string& error) {
  ERR_clear_error();
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr) {
    error = lastError("cannot create a TLS context");
    return nullptr;
  }
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_CTX_set_verify(ctx, config.rejectUnauthorized ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
  if ((config.rejectUnauthorized && !loadCa(ctx, config.ca, error)) || !loadClientIdentity(ctx, config, error)) {
    SSL_CTX_free(ctx);
    return nullptr;
  }
  return std::unique_ptr<TlsContext>(new TlsContext(ctx, config));
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

SSL* TlsContext::newSession(const std::string& address, const std::string& sniName, std::string& error) const {
  SSL* ssl = SSL_new(ctx_);
  if (ssl == nullptr) {
    error = lastError("cannot create a TLS session");
    return nullptr;
  }
  const std::string& name = config_.serverName.empty() ? address : config_.serverName;
  const std::string& sni = sniName.empty() ? config_.serverName : sniName;
  // RFC 6066: SNI carries host names, never IP literals.
  if (!sni.empty() && !isIpAddress(sni) && SSL_set_tlsext_host_name(ssl, sni.c_str()) != 1) {
    SSL_free(ssl);
    error = lastError("cannot set the SNI name");
    return nullptr;
  }
  if (config_.rejectUnauthorized) {
    int ok = isIpAddress(name) ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name.c_str())
                               : SSL_set1_host(ssl, name.c_str());
    if (ok != 1) {
      SSL_free(ssl);
      error = lastError("cannot set the name to verify");
      return nullptr;
    }
  }
  return ssl;
}

std::string tlsErrorText(SSL* ssl) {
  if (ssl != nullptr) {
    long verify = SSL_get_verify_result(ssl);
    if (verify != X509_V_OK) return std::string("certificate verification failed: ") + X509_verify_cert_error_string(verify);
  }
  return lastError("TLS error");
}

}  // namespace cassdl::net
