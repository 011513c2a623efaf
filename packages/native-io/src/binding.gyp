{
  # One target, the addon. This file lives in src/, not at the package root:
  # a binding.gyp at the root makes npm and pnpm run an implicit
  # `node-gyp rebuild` on install, and the no-op install script that stopped
  # it is itself flagged by npm (sharp keeps its binding.gyp in src/ too).
  # C++ exceptions stay off (node-gyp's default): the native code reports
  # errors as values, and node-addon-api is told so with
  # NAPI_DISABLE_CPP_EXCEPTIONS. Symbols are hidden except the module entry.
  # `jpeg_dir` (set by scripts/build-native.mjs when libjpeg-turbo could be
  # built: scripts/build-libjpeg-turbo.sh) adds the JPEG region decoder;
  # without it the addon is the data plane alone.
  "variables": { "jpeg_dir%": "", "jpeg_simd%": "0" },
  "targets": [
    {
      "target_name": "cassdl_native",
      "sources": [
        "addon.cc",
        "binding/js_data_plane.cc",
        "binding/plan_config.cc",
        "io/batch_assembler.cc",
        "io/batch_ring.cc",
        "io/event_loop.cc",
        "io/data_plane.cc",
        "io/router.cc",
        "io/scheduler.cc",
        "io/token_ring.cc",
        "net/connection.cc",
        "net/frame_receiver.cc",
        "net/socket.cc",
        "net/statement_prepare.cc",
        "net/tls.cc",
        "protocol/cell_locator.cc",
        "protocol/column_specs.cc",
        "protocol/frame.cc",
        "protocol/murmur3.cc",
        "protocol/prepared.cc",
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
        ["OS != 'linux'", { "type": "none" }],
        ["jpeg_dir != ''", {
          "sources": [
            "binding/js_decoder.cc",
            "decode/batch_writer.cc",
            "decode/decode_pool.cc",
            "decode/region_plan.cc",
            "decode/resample.cc",
            "decode/sample_decoder.cc"
          ],
          "include_dirs": ["<(jpeg_dir)/include"],
          "defines": ["CASSDL_WITH_JPEG", "CASSDL_JPEG_VERSION=\"3.1.0\"", "CASSDL_JPEG_SIMD=<(jpeg_simd)"],
          "libraries": ["<(jpeg_dir)/lib/libturbojpeg.a"],
          # The static library's symbols stay inside the addon: sharp's libvips carries its own libjpeg.
          "ldflags": ["-Wl,--exclude-libs,ALL"]
        }]
      ]
    }
  ]
}
