# Interface targets carrying the project's warning, architecture and sanitizer flags.
add_library(hbar_warnings INTERFACE)
target_compile_options(hbar_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow)
if(HBAR_WERROR)
  target_compile_options(hbar_warnings INTERFACE -Werror)
endif()

add_library(hbar_arch INTERFACE)
if(HBAR_NATIVE)
  target_compile_options(hbar_arch INTERFACE -march=native)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  # Portable default: x86-64-v3 (AVX2 + FMA, Haswell and newer).
  target_compile_options(hbar_arch INTERFACE -march=x86-64-v3)
endif()

# hbar_pch(TARGET HEADERS...): the heavy third-party headers parsed once per target.
function(hbar_pch target)
  if(HBAR_PCH)
    target_precompile_headers(${target} PRIVATE ${ARGN})
  endif()
endfunction()

if(HBAR_SANITIZE)
  string(REPLACE ";" "," _san "${HBAR_SANITIZE}")
  add_compile_options(-fsanitize=${_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_san})
endif()
