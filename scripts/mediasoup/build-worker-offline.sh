#!/usr/bin/env bash
# Builds mediasoup-worker from Debian packages only (no wrapdb/GitHub/PyPI).
# Each meson subproject mediasoup would download is replaced by a local shim
# over the Debian -dev package; libsrtp3 and unordered_dense get small
# compatibility headers; DtlsTransport.cpp gets the one-line KTLS BIO fix.
# Usage: build-worker-offline.sh path/to/node_modules/mediasoup
# Needs (apt, installed by scripts/setup.sh): build-essential pkg-config
# ninja-build meson>=1.1 libuv1-dev libssl-dev libsrtp2-dev libflatbuffers-dev
# flatbuffers-compiler libabsl-dev libusrsctp-dev
set -euo pipefail

MS_DIR="$(cd "${1:-node_modules/mediasoup}" && pwd)"
W="$MS_DIR/worker"
SP="$W/subprojects"
BUILD_DIR="${BUILD_DIR:-$W/out/Release/build}"
JOBS="${JOBS:-$(nproc)}"
MESON="${MESON:-meson}"

[ -f "$W/meson.build" ] || { echo "no $W/meson.build" >&2; exit 1; }
MS_VERSION="$(node -p "require('$MS_DIR/package.json').version")"
echo "== mediasoup $MS_VERSION, worker dir $W"

"$MESON" --version | awk -F. '{ if ($1 < 1 || ($1 == 1 && $2 < 1)) { print "meson >= 1.1 needed, have " $0 > "/dev/stderr"; exit 1 } }'

# 1. Remove all wrap files (they would download from GitHub/wrapdb) and any
#    previously generated shim dirs.
rm -f "$SP"/*.wrap
for d in openssl libuv libsrtp3 usrsctp abseil-cpp catch2 flatbuffers liburing unordered-dense wingetopt; do
  rm -rf "${SP:?}/$d"
done
mkdir -p "$SP"

mkshim() { # name languages meson-body [meson_options-body]
  local name="$1" langs="$2" body="$3" opts="${4:-}"
  mkdir -p "$SP/$name"
  printf "project('%s', %s, version: 'debian-shim')\n%s\n" "$name" "$langs" "$body" > "$SP/$name/meson.build"
  [ -n "$opts" ] && printf "%s\n" "$opts" > "$SP/$name/meson_options.txt"
  # Placeholder source for the dummy static libraries that mediasoup only uses
  # in link_whole of its (not built by default) libmediasoup-worker target.
  printf "int ms_shim_%s_placeholder(void) { return 0; }\n" "${name//-/_}" > "$SP/$name/shim.c"
}

mkshim openssl "'c'" "
openssl_dep = dependency('openssl', version: '>= 3.0.0')
libssl_dep = dependency('libssl')
libcrypto_dep = dependency('libcrypto')
libcrypto_lib = static_library('shim_crypto', 'shim.c')
libssl_lib = static_library('shim_ssl', 'shim.c')"

mkshim libuv "'c'" "
libuv_dep = dependency('libuv', version: '>= 1.44')
libuv = static_library('shim_uv', 'shim.c')" \
"option('build_tests', type: 'boolean', value: false)
option('build_benchmarks', type: 'boolean', value: false)"

mkshim usrsctp "'c'" "
usrsctp_dep = dependency('usrsctp')
usrsctp = static_library('shim_usrsctp', 'shim.c')" \
"option('sctp_build_programs', type: 'boolean', value: false)"

mkshim abseil-cpp "'c', 'cpp'" "
absl_container_dep = declare_dependency(dependencies: [
  dependency('absl_flat_hash_map'), dependency('absl_flat_hash_set'),
  dependency('absl_btree'), dependency('absl_inlined_vector'), dependency('absl_memory')])
absl_strings_dep = dependency('absl_strings')
absl_types_dep = declare_dependency(dependencies: [dependency('absl_optional'), dependency('absl_variant')])
absl_container_lib = static_library('shim_absl', 'shim.c')"

mkshim catch2 "'c'" "
catch2_dep = declare_dependency()
catch2_with_main_dep = declare_dependency()"

# flatbuffers: Debian's flatc (found by find_program('flatc') in fbs/) and
# headers are the same version (2.0.8), so generated code matches headers.
mkshim flatbuffers "'c', 'cpp'" "
flatbuffers_dep = dependency('flatbuffers')
flatbuffers_lib = static_library('shim_flatbuffers', 'shim.c')"

# libsrtp3 (versatica fork, not packaged anywhere) -> libsrtp2 from Debian plus
# a header that maps the libsrtp3 API that mediasoup uses onto libsrtp2.
mkshim libsrtp3 "'c', 'cpp'" "
libsrtp3_dep = declare_dependency(include_directories: include_directories('include'),
  dependencies: dependency('libsrtp2', version: '>= 2.4'))
libsrtp3 = static_library('shim_srtp3', 'shim.c')" \
"option('crypto-library', type: 'string', value: 'openssl')
option('crypto-library-kdf', type: 'string', value: 'disabled')
option('tests', type: 'string', value: 'disabled')"
mkdir -p "$SP/libsrtp3/include"
if grep -q 'srtp_policy_create' "$W/src/RTC/SrtpSession.cpp"; then SRTP_OPAQUE_POLICY=1; else SRTP_OPAQUE_POLICY=0; fi
{
cat <<'EOF'
// Generated: libsrtp3 API (as used by mediasoup) on top of Debian's libsrtp2.
#ifndef MS_SHIM_SRTP3_COMPAT_H
#define MS_SHIM_SRTP3_COMPAT_H
EOF
if [ "$SRTP_OPAQUE_POLICY" = 1 ]; then
cat <<'EOF'
// libsrtp3 (2fc078db+) makes srtp_policy_t an opaque handle; libsrtp2 uses a
// struct with that name, so rename libsrtp2's struct while including it.
#define srtp_policy_t ms_srtp2_policy_struct_t
#include <srtp2/srtp.h>
#undef srtp_policy_t
#define MS_SRTP_POLICY_STRUCT ms_srtp2_policy_struct_t
EOF
else
  echo '#include <srtp2/srtp.h>'
fi
cat <<'EOF'
#ifdef __cplusplus
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>

inline constexpr srtp_err_status_t srtp_err_status_buffer_small = static_cast<srtp_err_status_t>(28);
inline constexpr srtp_err_status_t srtp_err_status_cryptex_err  = static_cast<srtp_err_status_t>(29);

namespace ms_srtp_shim
{
	template<typename Fn>
	inline srtp_err_status_t Protect(
	  Fn fn, srtp_t ctx, const uint8_t* in, size_t inLen, uint8_t* out, size_t* outLen, size_t trailer)
	{
		if (inLen > static_cast<size_t>(INT_MAX) - trailer)
			return srtp_err_status_bad_param;
		if (*outLen < inLen + trailer)
			return srtp_err_status_buffer_small;
		if (out != in)
			std::memmove(out, in, inLen);
		int len = static_cast<int>(inLen);
		const srtp_err_status_t err = fn(ctx, out, &len);
		if (err == srtp_err_status_ok)
			*outLen = static_cast<size_t>(len);
		return err;
	}

	template<typename Fn>
	inline srtp_err_status_t Unprotect(
	  Fn fn, srtp_t ctx, const uint8_t* in, size_t inLen, uint8_t* out, size_t* outLen)
	{
		if (inLen > static_cast<size_t>(INT_MAX))
			return srtp_err_status_bad_param;
		if (*outLen < inLen && out != in)
			return srtp_err_status_buffer_small;
		if (out != in)
			std::memmove(out, in, inLen);
		int len = static_cast<int>(inLen);
		const srtp_err_status_t err = fn(ctx, out, &len);
		if (err == srtp_err_status_ok)
			*outLen = static_cast<size_t>(len);
		return err;
	}
} // namespace ms_srtp_shim

// C++ overloads with the libsrtp3 signatures (the libsrtp2 C functions keep
// their own, different, signatures).
inline srtp_err_status_t srtp_protect(
  srtp_t ctx, const uint8_t* rtp, size_t rtpLen, uint8_t* srtp, size_t* srtpLen, size_t /*mkiIndex*/)
{
	return ms_srtp_shim::Protect(
	  [](srtp_t c, uint8_t* b, int* l) { return ::srtp_protect(c, b, l); }, ctx, rtp, rtpLen, srtp, srtpLen,
	  SRTP_MAX_TRAILER_LEN);
}
inline srtp_err_status_t srtp_unprotect(
  srtp_t ctx, const uint8_t* srtp, size_t srtpLen, uint8_t* rtp, size_t* rtpLen)
{
	return ms_srtp_shim::Unprotect(
	  [](srtp_t c, uint8_t* b, int* l) { return ::srtp_unprotect(c, b, l); }, ctx, srtp, srtpLen, rtp, rtpLen);
}
inline srtp_err_status_t srtp_protect_rtcp(
  srtp_t ctx, const uint8_t* rtcp, size_t rtcpLen, uint8_t* srtcp, size_t* srtcpLen, size_t /*mkiIndex*/)
{
	// SRTCP adds the 4-byte E+index word on top of tag (+MKI).
	return ms_srtp_shim::Protect(
	  [](srtp_t c, uint8_t* b, int* l) { return ::srtp_protect_rtcp(c, b, l); }, ctx, rtcp, rtcpLen, srtcp,
	  srtcpLen, SRTP_MAX_TRAILER_LEN + 4);
}
inline srtp_err_status_t srtp_unprotect_rtcp(
  srtp_t ctx, const uint8_t* srtcp, size_t srtcpLen, uint8_t* rtcp, size_t* rtcpLen)
{
	return ms_srtp_shim::Unprotect(
	  [](srtp_t c, uint8_t* b, int* l) { return ::srtp_unprotect_rtcp(c, b, l); }, ctx, srtcp, srtcpLen, rtcp,
	  rtcpLen);
}

// libsrtp3 renamed srtp_remove_stream() to srtp_stream_remove().
inline srtp_err_status_t srtp_stream_remove(srtp_t session, uint32_t ssrc)
{
	return srtp_remove_stream(session, ssrc);
}

#ifdef MS_SRTP_POLICY_STRUCT
// Opaque policy API of libsrtp3 (2fc078db+), backed by a libsrtp2 policy struct.
namespace ms_srtp_shim
{
	struct PolicyHolder
	{
		MS_SRTP_POLICY_STRUCT policy; // must stay first
		uint8_t keySalt[SRTP_MAX_KEY_LEN];
	};
} // namespace ms_srtp_shim
typedef MS_SRTP_POLICY_STRUCT* srtp_policy_t;

inline srtp_err_status_t srtp_policy_create(srtp_policy_t* policy)
{
	auto* holder = new (std::nothrow) ms_srtp_shim::PolicyHolder();
	if (!holder)
		return srtp_err_status_alloc_fail;
	std::memset(holder, 0, sizeof(*holder));
	*policy = &holder->policy;
	return srtp_err_status_ok;
}
inline void srtp_policy_destroy(srtp_policy_t policy)
{
	delete reinterpret_cast<ms_srtp_shim::PolicyHolder*>(policy);
}
inline srtp_err_status_t srtp_policy_set_ssrc(srtp_policy_t policy, srtp_ssrc_t ssrc)
{
	policy->ssrc = ssrc;
	return srtp_err_status_ok;
}
inline srtp_err_status_t srtp_policy_set_profile(srtp_policy_t policy, srtp_profile_t profile)
{
	srtp_err_status_t err = srtp_crypto_policy_set_from_profile_for_rtp(&policy->rtp, profile);
	if (err != srtp_err_status_ok)
		return err;
	return srtp_crypto_policy_set_from_profile_for_rtcp(&policy->rtcp, profile);
}
inline srtp_err_status_t srtp_policy_add_key(
  srtp_policy_t policy, const uint8_t* key, size_t keyLen, const uint8_t* salt, size_t saltLen,
  const uint8_t* mki, size_t mkiLen)
{
	auto* holder = reinterpret_cast<ms_srtp_shim::PolicyHolder*>(policy);
	if (mki != nullptr || mkiLen != 0)
		return srtp_err_status_bad_param; // MKI not supported by this shim
	if (keyLen + saltLen > sizeof(holder->keySalt))
		return srtp_err_status_bad_param;
	std::memcpy(holder->keySalt, key, keyLen);
	std::memcpy(holder->keySalt + keyLen, salt, saltLen);
	policy->key = holder->keySalt;
	return srtp_err_status_ok;
}
inline srtp_err_status_t srtp_policy_set_allow_repeat_tx(srtp_policy_t policy, bool allow)
{
	policy->allow_repeat_tx = allow ? 1 : 0;
	return srtp_err_status_ok;
}
inline srtp_err_status_t srtp_policy_set_window_size(srtp_policy_t policy, size_t windowSize)
{
	policy->window_size = static_cast<unsigned long>(windowSize);
	return srtp_err_status_ok;
}
#endif // MS_SRTP_POLICY_STRUCT

#endif // __cplusplus
#endif // MS_SHIM_SRTP3_COMPAT_H
EOF
} > "$SP/libsrtp3/include/srtp.h"

# unordered_dense (mediasoup >= 3.2x): not packaged by Debian. Provide the
# ankerl::unordered_dense names as aliases of the std containers.
mkshim unordered-dense "'c', 'cpp'" "
ankerl_unordered_dense_dep = declare_dependency(include_directories: include_directories('include'))
meson.override_dependency('unordered_dense', ankerl_unordered_dense_dep)"
mkdir -p "$SP/unordered-dense/include/ankerl"
cat > "$SP/unordered-dense/include/ankerl/unordered_dense.h" <<'EOF'
// Generated shim: ankerl::unordered_dense API subset mapped onto std containers.
#ifndef MS_SHIM_ANKERL_UNORDERED_DENSE_H
#define MS_SHIM_ANKERL_UNORDERED_DENSE_H
#include <functional>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <utility>
namespace ankerl::unordered_dense
{
	template<class T, class Enable = void>
	struct hash : std::hash<T>
	{
	};
	template<class Key, class T, class Hash = hash<Key>, class KeyEqual = std::equal_to<Key>,
	         class Allocator = std::allocator<std::pair<const Key, T>>>
	using map = std::unordered_map<Key, T, Hash, KeyEqual, Allocator>;
	template<class Key, class Hash = hash<Key>, class KeyEqual = std::equal_to<Key>,
	         class Allocator = std::allocator<Key>>
	using set = std::unordered_set<Key, Hash, KeyEqual, Allocator>;
} // namespace ankerl::unordered_dense
#endif
EOF
# dependency('unordered_dense') needs something that provides it: a wrap whose
# directory already exists (nothing is downloaded).
cat > "$SP/unordered-dense.wrap" <<'EOF'
[wrap-file]
directory = unordered-dense

[provide]
unordered_dense = ankerl_unordered_dense_dep
EOF

# 2. One-line source fix needed with Debian's OpenSSL (built with KTLS):
#    mediasoup's BIO callback returns 1 for every BIO_CB_RETURN|op call, so
#    BIO_get_ktls_send() on its memory BIO answers "yes", libssl then leaves
#    its DTLS write buffer unallocated and the worker dies with SIGSEGV (NULL
#    write in do_dtls1_write) on the first DTLS handshake. Return the real
#    result for all post-operation callbacks instead.
DTLS_SRC="$W/src/RTC/DtlsTransport.cpp"
if grep -q '(operationType == BIO_CB_RETURN)' "$DTLS_SRC"; then
  sed -i 's/(operationType == BIO_CB_RETURN)/((operationType \& BIO_CB_RETURN) != 0)/' "$DTLS_SRC"
fi
if ! grep -q '((operationType & BIO_CB_RETURN) != 0)' "$DTLS_SRC"; then
  echo "WARNING: DtlsTransport BIO callback patch not applied (code changed upstream?); check DTLS with a real client" >&2
fi

# 3. Configure + build (only the mediasoup-worker target).
EXTRA_ARGS=()
if grep -q "ms_disable_liburing" "$W/meson_options.txt"; then
  # liburing in bookworm (2.3) lacks APIs mediasoup uses; libuv is used instead.
  EXTRA_ARGS+=(-Dms_disable_liburing=true)
fi
cd "$W"
rm -rf "$BUILD_DIR"
"$MESON" setup --wrap-mode=nodownload --prefix "$W/out/Release" --bindir "" --libdir "" \
  --buildtype release -Db_ndebug=true "${EXTRA_ARGS[@]}" ${MESON_ARGS:-} "$BUILD_DIR"
# Generate the FBS headers first: in some mediasoup versions the generated
# headers are not an order dependency of the libwebrtc/worker objects.
"$MESON" compile -C "$BUILD_DIR" flatbuffers-generator
"$MESON" compile -C "$BUILD_DIR" -j "$JOBS" mediasoup-worker
install -m 0755 "$BUILD_DIR/mediasoup-worker" "$W/out/Release/mediasoup-worker"
echo "== built $W/out/Release/mediasoup-worker"
