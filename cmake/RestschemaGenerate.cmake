# RestschemaGenerate.cmake - generate C++ headers from restschema YAML at build time.
#
#   include(cmake/RestschemaGenerate.cmake)   # or: find_package(restschema CONFIG REQUIRED),
#                                            # or add_subdirectory() / FetchContent of restschema
#   restschema_generate(TARGET <target> SCHEMAS <dir or file>... [OUTPUT_DIR <dir>])
#
# Runs `restschema-gen cpp --out <OUTPUT_DIR> <SCHEMAS>...` whenever a schema
# file, a template, a generator source or the JSON Schema changes, and makes
# <target> depend on it with <OUTPUT_DIR> on its include path (PUBLIC, or
# INTERFACE for INTERFACE libraries), so code can
# `#include <restschema/gen/all.hpp>`. Schema files are globbed with
# CONFIGURE_DEPENDS: a new *.yaml / *.yml file is picked up by the next build.
# Schema errors are printed as file:line:col lines and fail the build.
#
# RESTSCHEMA_GENERATOR: the generator executable (default: ../generator/restschema-gen
# relative to this file; it runs /usr/bin/python3 through its shebang). That is
# generator/restschema-gen in the source tree (add_subdirectory, FetchContent)
# and <prefix>/share/restschema/generator/restschema-gen in an install, where
# this file is <prefix>/share/restschema/cmake/RestschemaGenerate.cmake.
include_guard(GLOBAL)

get_filename_component(_restschema_root "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(_restschema_default_generator "${_restschema_root}/generator/restschema-gen")
# A value set by the user is kept; a default set by an earlier configure run
# follows this file (e.g. when CMAKE_PREFIX_PATH now names another install).
if(NOT DEFINED RESTSCHEMA_GENERATOR
   OR (DEFINED CACHE{_RESTSCHEMA_GENERATOR_DEFAULT}
       AND "${RESTSCHEMA_GENERATOR}" STREQUAL "$CACHE{_RESTSCHEMA_GENERATOR_DEFAULT}"))
    set(RESTSCHEMA_GENERATOR "${_restschema_default_generator}"
        CACHE FILEPATH "restschema-gen executable" FORCE)
endif()
set(_RESTSCHEMA_GENERATOR_DEFAULT "${_restschema_default_generator}" CACHE INTERNAL "")

function(restschema_generate)
    cmake_parse_arguments(PARSE_ARGV 0 arg "" "TARGET;OUTPUT_DIR" "SCHEMAS")
    if(NOT arg_TARGET)
        message(FATAL_ERROR "restschema_generate: TARGET is required")
    endif()
    if(NOT TARGET ${arg_TARGET})
        message(FATAL_ERROR "restschema_generate: '${arg_TARGET}' is not a target")
    endif()
    if(NOT arg_SCHEMAS)
        message(FATAL_ERROR "restschema_generate: SCHEMAS is required")
    endif()
    if(arg_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "restschema_generate: unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
    endif()
    if(NOT arg_OUTPUT_DIR)
        set(arg_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/restschema_gen/${arg_TARGET}")
    endif()
    if(NOT EXISTS "${RESTSCHEMA_GENERATOR}")
        message(FATAL_ERROR "restschema_generate: the generator '${RESTSCHEMA_GENERATOR}' does not exist "
                            "(set RESTSCHEMA_GENERATOR to restschema-gen)")
    endif()

    # Schema files, absolute paths; the generator is given the dirs as such.
    set(schemas "")
    set(schema_files "")
    foreach(s IN LISTS arg_SCHEMAS)
        cmake_path(ABSOLUTE_PATH s BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE)
        list(APPEND schemas "${s}")
        if(IS_DIRECTORY "${s}")
            file(GLOB_RECURSE found CONFIGURE_DEPENDS "${s}/*.yaml" "${s}/*.yml")
            list(APPEND schema_files ${found})
        else()
            list(APPEND schema_files "${s}")
        endif()
    endforeach()
    list(SORT schema_files)

    # The generator itself: a change to any of it regenerates.
    get_filename_component(gen_dir "${RESTSCHEMA_GENERATOR}" DIRECTORY)
    file(GLOB_RECURSE gen_sources CONFIGURE_DEPENDS
        "${gen_dir}/restschema_gen/*.py"
        "${gen_dir}/templates/*"
        "${gen_dir}/schema/*.json")
    list(SORT gen_sources)

    # One custom target and stamp per call (a target may be given several schema sets).
    set(gen_target ${arg_TARGET}_restschema_gen)
    set(stamp "${CMAKE_CURRENT_BINARY_DIR}/${arg_TARGET}.restschema.stamp")
    set(n 1)
    while(TARGET ${gen_target})
        math(EXPR n "${n} + 1")
        set(gen_target ${arg_TARGET}_restschema_gen${n})
        set(stamp "${CMAKE_CURRENT_BINARY_DIR}/${arg_TARGET}.restschema${n}.stamp")
    endwhile()
    add_custom_command(
        OUTPUT "${stamp}"
        COMMAND "${RESTSCHEMA_GENERATOR}" cpp --out "${arg_OUTPUT_DIR}" ${schemas}
        COMMAND "${CMAKE_COMMAND}" -E touch "${stamp}"
        DEPENDS ${schema_files} "${RESTSCHEMA_GENERATOR}" ${gen_sources}
        COMMENT "restschema-gen: generating C++ for ${arg_TARGET}"
        VERBATIM)
    add_custom_target(${gen_target} DEPENDS "${stamp}")
    # The include dir must exist at configure time for imported/exported consumers.
    file(MAKE_DIRECTORY "${arg_OUTPUT_DIR}")

    get_target_property(type ${arg_TARGET} TYPE)
    if(type STREQUAL "INTERFACE_LIBRARY")
        target_include_directories(${arg_TARGET} INTERFACE "$<BUILD_INTERFACE:${arg_OUTPUT_DIR}>")
    else()
        target_include_directories(${arg_TARGET} PUBLIC "$<BUILD_INTERFACE:${arg_OUTPUT_DIR}>")
    endif()
    add_dependencies(${arg_TARGET} ${gen_target})
    set_property(TARGET ${arg_TARGET} APPEND PROPERTY RESTSCHEMA_OUTPUT_DIRS "${arg_OUTPUT_DIR}")
endfunction()
