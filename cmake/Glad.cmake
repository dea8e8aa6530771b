# The caller enables C (enable_language must run at directory scope).
# Generates an OpenGL 3.3 core loader with Debian's python3-glad, offline
# (--reproducible: the bundled Khronos specs, never the network), and builds it.
function(hbar_add_glad target)
  set(out ${CMAKE_BINARY_DIR}/glad)
  find_program(GLAD_EXECUTABLE glad PATHS /usr/bin REQUIRED)
  add_custom_command(
    OUTPUT ${out}/src/gl.c ${out}/include/glad/gl.h
    COMMAND ${GLAD_EXECUTABLE} --reproducible --quiet --api gl:core=3.3 --out-path ${out} c
    COMMENT "Generating the OpenGL 3.3 core loader (glad, offline)"
    VERBATIM)
  add_library(${target} STATIC ${out}/src/gl.c)
  target_include_directories(${target} SYSTEM PUBLIC ${out}/include)
  target_link_libraries(${target} PUBLIC ${CMAKE_DL_LIBS})
endfunction()
