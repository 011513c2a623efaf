{
  # One target, the addon. C++ exceptions stay off (node-gyp's default): the
  # native code reports errors as values, and node-addon-api is told so with
  # NAPI_DISABLE_CPP_EXCEPTIONS. Symbols are hidden except the module entry.
  "targets": [
    {
      "target_name": "cassdl_native",
      "sources": [
        "src/addon.cc",
        "src/binding/js_data_plane.cc",
        "src/binding/plan_config.cc",
        "src/io/batch_ring.cc",
        "src/io/data_plane.cc",
        "src/io/token_ring.cc",
        "src/net/connection.cc",
        "src/net/frame_receiver.cc",
        "src/net/socket.cc",
        "src/net/tls.cc",
        "src/protocol/cell_locator.cc",
        "src/protocol/frame.cc",
        "src/protocol/murmur3.cc",
        "src/protocol/requests.cc",
        "src/protocol/rows.cc",
        "src/protocol/server_error.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_DISABLE_CPP_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "CASSDL_NATIVE_VERSION=\"<!(node -p \"require('./package.json').version\")\""
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
