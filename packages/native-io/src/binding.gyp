{
  # One target, the addon. This file lives in src/, not at the package root:
  # a binding.gyp at the root makes npm and pnpm run an implicit
  # `node-gyp rebuild` on install, and the no-op install script that stopped
  # it is itself flagged by npm (sharp keeps its binding.gyp in src/ too).
  # C++ exceptions stay off (node-gyp's default): the native code reports
  # errors as values, and node-addon-api is told so with
  # NAPI_DISABLE_CPP_EXCEPTIONS. Symbols are hidden except the module entry.
  "targets": [
    {
      "target_name": "cassdl_native",
      "sources": [
        "addon.cc",
        "binding/js_data_plane.cc",
        "binding/plan_config.cc",
        "io/batch_ring.cc",
        "io/data_plane.cc",
        "io/token_ring.cc",
        "net/connection.cc",
        "net/frame_receiver.cc",
        "net/socket.cc",
        "net/tls.cc",
        "protocol/cell_locator.cc",
        "protocol/frame.cc",
        "protocol/murmur3.cc",
        "protocol/requests.cc",
        "protocol/rows.cc",
        "protocol/server_error.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_DISABLE_CPP_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "CASSDL_NATIVE_VERSION=\"<!(node -p \"require('../package.json').version\")\""
      ],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
      "cflags_cc": ["-std=c++20", "-fno-exceptions", "-fvisibility=hidden", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "conditions": [
        ["OS != 'linux'", { "type": "none" }]
      ]
    }
  ]
}
