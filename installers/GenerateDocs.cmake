# cmake -DBRAMBLECTL=path -DOUT=dir -P GenerateDocs.cmake
# Runs bramblectl to write the man pages (gzipped, as Debian ships them) and
# the completion scripts under OUT.
function(run_to_file file)
  get_filename_component(dir "${file}" DIRECTORY)
  file(MAKE_DIRECTORY "${dir}")
  execute_process(COMMAND "${BRAMBLECTL}" ${ARGN}
                  OUTPUT_FILE "${file}" RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "bramblectl ${ARGN} failed (${rc}): ${err}")
  endif()
endfunction()

foreach(program bramblectl bramble)
  run_to_file("${OUT}/man/man1/${program}.1" manpage ${program})
  file(REMOVE "${OUT}/man/man1/${program}.1.gz")
  # A raw gzip stream of the one file, as `gzip -9n` would write.
  file(ARCHIVE_CREATE OUTPUT "${OUT}/man/man1/${program}.1.gz" PATHS "${OUT}/man/man1/${program}.1"
       FORMAT raw COMPRESSION GZip COMPRESSION_LEVEL 9)
endforeach()
run_to_file("${OUT}/completions/bash/bramblectl" completion bash)
run_to_file("${OUT}/completions/zsh/_bramblectl" completion zsh)
run_to_file("${OUT}/completions/fish/bramblectl.fish" completion fish)
