# Configures, builds and runs one consumer project (find-package or
# add-subdirectory) in WORK_DIR, which it empties first. For find-package it
# uses the installation at PREFIX, or else first installs the graphfake build
# tree BUILD_DIR into WORK_DIR/prefix, and checks the package was found
# there. The consumer is built by the compiler (and compiler launcher) that
# built graphfake; a find-package consumer in the same build type.
#
# cmake -DCONSUMER=find-package|add-subdirectory -DSOURCE_DIR=<graphfake checkout>
#       -DBUILD_DIR=<graphfake build> | -DPREFIX=<installation> -DWORK_DIR=<scratch>
#       -DCXX_COMPILER=... -DBUILD_TYPE=... [-DCOMPILER_LAUNCHER=ccache] -P run_consumer.cmake
function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    list(JOIN ARGV " " command)
    message(FATAL_ERROR "failed (${status}): ${command}")
  endif()
endfunction()

set(consumers ${CMAKE_CURRENT_LIST_DIR})
file(REMOVE_RECURSE ${WORK_DIR})
set(configure ${CMAKE_COMMAND} -S ${consumers}/${CONSUMER} -B ${WORK_DIR}/build
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=${BUILD_TYPE})
if(COMPILER_LAUNCHER)
  list(APPEND configure -DCMAKE_CXX_COMPILER_LAUNCHER=${COMPILER_LAUNCHER})
endif()

if(CONSUMER STREQUAL "find-package")
  if(NOT PREFIX)
    set(PREFIX ${WORK_DIR}/prefix)
    run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX})
  endif()
  # Only that prefix: not a graphfake installed elsewhere on the machine.
  run(${configure} -DCMAKE_PREFIX_PATH=${PREFIX} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
  file(STRINGS ${WORK_DIR}/build/CMakeCache.txt found REGEX "^graphfake_DIR:")
  if(NOT found MATCHES "^graphfake_DIR:PATH=${PREFIX}/")
    message(FATAL_ERROR "graphfake was not found in the installed prefix: ${found}")
  endif()
elseif(CONSUMER STREQUAL "add-subdirectory")
  # The consumer builds graphfake's library again; its tests, benchmark and
  # fuzzers are off as they are for any project that adds graphfake this way.
  # What is checked is that the targets configure, compile and link from a
  # subproject, not the optimiser: unoptimised and without debug information
  # (the later -D wins) it compiles in about half the time.
  run(${configure} -DGRAPHFAKE_SOURCE_DIR=${SOURCE_DIR} -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-O0)
else()
  message(FATAL_ERROR "CONSUMER must be find-package or add-subdirectory, not '${CONSUMER}'")
endif()

run(${CMAKE_COMMAND} --build ${WORK_DIR}/build --target consumer --parallel 2)
run(${WORK_DIR}/build/consumer)
