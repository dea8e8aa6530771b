# hbar_embed_files(OUTPUT out.cpp NAMESPACE ns FILES a.vert b.frag ...)
# Writes a .cpp defining `std::string_view ns::<stem>_<ext>` for each file, so the
# binary carries its shaders and runs from anywhere. Regenerated when a file changes.
function(hbar_embed_files)
  cmake_parse_arguments(E "" "OUTPUT;NAMESPACE" "FILES" ${ARGN})
  add_custom_command(
    OUTPUT ${E_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${E_OUTPUT} -DNAMESPACE=${E_NAMESPACE} "-DFILES=${E_FILES}"
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedFilesScript.cmake
    DEPENDS ${E_FILES} ${PROJECT_SOURCE_DIR}/cmake/EmbedFilesScript.cmake
    COMMENT "Embedding ${E_NAMESPACE} files"
    VERBATIM)
endfunction()
