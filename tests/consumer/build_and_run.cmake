# ctest driver (cmake -P): configure, build and test a CMake project, printing
# each step. Used by tests/consumer.cmake for tests/consumer,
# tests/add_subdirectory and tests/real_apis.
#
#   cmake -DSOURCE_DIR=<project> -DBINARY_DIR=<build> [-DCTEST=<ctest>] [-DJOBS=2]
#         -P build_and_run.cmake -- <configure arguments>...
#
# The build directory is kept between runs (incremental builds); every run
# configures it again, which reads restschemaConfig.cmake again. (Not --fresh:
# that deletes CMakeFiles/, and with it every object file.)
cmake_minimum_required(VERSION 3.25)
foreach(v SOURCE_DIR BINARY_DIR)
    if(NOT DEFINED ${v})
        message(FATAL_ERROR "build_and_run.cmake: -D${v}=... is required")
    endif()
endforeach()
if(NOT CTEST)
    get_filename_component(_bin "${CMAKE_COMMAND}" DIRECTORY)
    set(CTEST "${_bin}/ctest")
endif()
if(NOT JOBS)
    set(JOBS 2)
endif()

set(configure_args "")
set(after_dashes OFF)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE 1 ${last})
    if(after_dashes)
        list(APPEND configure_args "${CMAKE_ARGV${i}}")
    elseif(CMAKE_ARGV${i} STREQUAL "--")
        set(after_dashes ON)
    endif()
endforeach()

function(step what)
    message("==> ${what}")
    execute_process(COMMAND ${ARGN} COMMAND_ECHO STDOUT RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "==> FAILED (${rc}): ${what}")
    endif()
endfunction()

step("configuring ${SOURCE_DIR} in ${BINARY_DIR}"
     "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${BINARY_DIR}" ${configure_args})
step("building (-j${JOBS})"
     "${CMAKE_COMMAND}" --build "${BINARY_DIR}" --parallel ${JOBS})
step("running its tests"
     "${CTEST}" --test-dir "${BINARY_DIR}" --output-on-failure -V)
message("==> passed")
