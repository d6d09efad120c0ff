# RestschemaGenerate.cmake - generate C++ headers from restschema YAML at build time.
#
#   include(cmake/RestschemaGenerate.cmake)   # or: find_package(restschema CONFIG REQUIRED),
#                                            # or add_subdirectory() / FetchContent of restschema
#   restschema_generate(TARGET <target> SCHEMAS <dir or file>... [NAME <name>] [OUTPUT_DIR <dir>]
#                       [ENDPOINTS <id>...] [COMPILED [SOURCES <n>]])
#   restschema_generate(TARGET <target> OPENAPI <file> [SERVICE <name>] [OVERLAY <file>]
#                       [SCHEMAS <dir or file>...] [NAME ...] [OUTPUT_DIR ...] [ENDPOINTS ...] [COMPILED ...])
#
# Runs `restschema-gen cpp --name <NAME> --out <OUTPUT_DIR> <SCHEMAS>...` whenever
# a schema file, a template, a generator source or the JSON Schema changes, and
# makes <target> depend on it with <OUTPUT_DIR> on its include path (PUBLIC, or
# INTERFACE for INTERFACE libraries). Schema files are globbed with
# CONFIGURE_DEPENDS: a new *.yaml / *.yml file is picked up by the next build.
# Schema errors are printed as file:line:col lines and fail the build.
#
# Each call is one set of schemas with its own NAME and output folder, so that
# several calls in one project (a library of APIs, a test target with its own
# schemas, a mock server) do not collide even where a target sees several of
# them through its links:
#   <restschema/gen/<service>.hpp>, <restschema/gen/<service>/<id>.hpp>   per service (as before)
#   <restschema/gen/all/<NAME>.hpp>          restschema::gen::<NAME>::all_endpoints
#   <restschema/gen/all/<NAME>.extras.hpp>   the same plus docs/mock data (endpoint_docs, endpoint_mock)
#   <restschema/gen/all.hpp>                 restschema::gen::all_endpoints, an alias of the above:
#                                            convenient with one call; a translation unit that
#                                            sees two output folders gets a #error naming
#                                            all/<NAME>.hpp instead of whichever came first.
# NAME must be a C++ identifier, unique in the project; default: the target name
# made an identifier (string(MAKE_C_IDENTIFIER): my-apis -> my_apis), with
# _2, _3, ... for further calls on the same target. OUTPUT_DIR must be unique
# too; default: ${CMAKE_CURRENT_BINARY_DIR}/restschema_gen/<target> (then
# <target>_2, ...).
#
# COMPILED: compile the endpoints once. The generator also writes <n> sources
# (default 4, compiled in parallel) instantiating every endpoint's binding and
# decoding and every schema type's codec; they form the static library
# <NAME>_restschema_compiled, linked with restschema::compiled (the transport),
# which <target> links. Every file that uses <target> is then compiled with
# RESTSCHEMA_SEPARATE_COMPILATION and sees declarations only: a file calling an
# endpoint compiles in a few seconds instead of tens. Mixing such files with
# header-only ones in one program is a link error (restschema/detail/config.hpp).
#
# ENDPOINTS: generate only these endpoints (ids, or <service>.<id> where two
# services share an id) and the named types they use, directly or not; the
# aggregates, the compiled-once library and a mock list only them. Every schema
# file is still checked; an id that names no endpoint fails the build with a
# message naming it. Without ENDPOINTS every endpoint is generated.
#
# OPENAPI: an OpenAPI 3.0 / 3.1 description (JSON or YAML) imported at build time
# (`restschema-gen import openapi`, docs/openapi-import.md) into
# <OUTPUT_DIR>_openapi/<SERVICE>/, again whenever the description, the overlay or
# the generator changes; the imported folder is generated like SCHEMAS (which may
# be given too). SERVICE: the service name (default: the file's name up to its
# first dot, made snake_case). OVERLAY: a restschema-format overlay merged on every
# import (error rows with API codes, version bounds, update semantics, a subset of
# the operations). The import folder belongs to the build: re-imports overwrite it.
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
    cmake_parse_arguments(PARSE_ARGV 0 arg "COMPILED" "TARGET;NAME;OUTPUT_DIR;SOURCES;OPENAPI;SERVICE;OVERLAY" "SCHEMAS;ENDPOINTS")
    if(NOT arg_TARGET)
        message(FATAL_ERROR "restschema_generate: TARGET is required")
    endif()
    if(NOT TARGET ${arg_TARGET})
        message(FATAL_ERROR "restschema_generate: '${arg_TARGET}' is not a target")
    endif()
    if(NOT arg_SCHEMAS AND NOT arg_OPENAPI)
        message(FATAL_ERROR "restschema_generate: SCHEMAS or OPENAPI is required")
    endif()
    if((DEFINED arg_SERVICE OR DEFINED arg_OVERLAY) AND NOT arg_OPENAPI)
        message(FATAL_ERROR "restschema_generate: SERVICE and OVERLAY are for OPENAPI")
    endif()
    if(arg_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "restschema_generate: unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
    endif()
    if("ENDPOINTS" IN_LIST arg_KEYWORDS_MISSING_VALUES)
        message(FATAL_ERROR "restschema_generate: ENDPOINTS needs at least one endpoint id")
    endif()
    set(endpoint_args "")
    foreach(id IN LISTS arg_ENDPOINTS)
        if(NOT id MATCHES "^([a-z][a-z0-9_]*\\.)?[a-z][a-z0-9_]*$")
            message(FATAL_ERROR "restschema_generate: ENDPOINTS '${id}' is not an endpoint id (snake_case, or <service>.<id>)")
        endif()
        list(APPEND endpoint_args --endpoints "${id}")
    endforeach()
    # NAME: the aggregate restschema/gen/all/<NAME>.hpp and restschema::gen::<NAME>.
    get_target_property(calls ${arg_TARGET} RESTSCHEMA_GENERATE_CALLS)
    if(NOT calls)
        set(calls 0)
    endif()
    math(EXPR calls "${calls} + 1")
    set_property(TARGET ${arg_TARGET} PROPERTY RESTSCHEMA_GENERATE_CALLS ${calls})
    if(NOT DEFINED arg_NAME)
        string(MAKE_C_IDENTIFIER "${arg_TARGET}" arg_NAME)
        if(calls GREATER 1)
            string(APPEND arg_NAME "_${calls}")
        endif()
    endif()
    if(NOT arg_NAME MATCHES "^[A-Za-z_][A-Za-z0-9_]*$" OR arg_NAME STREQUAL "all_endpoints")
        message(FATAL_ERROR "restschema_generate: NAME '${arg_NAME}' is not a usable C++ identifier")
    endif()
    get_property(names GLOBAL PROPERTY RESTSCHEMA_GENERATE_NAMES)
    if(arg_NAME IN_LIST names)
        message(FATAL_ERROR "restschema_generate: NAME '${arg_NAME}' is used by another restschema_generate() call; "
                            "give each call its own NAME (it names restschema/gen/all/<NAME>.hpp)")
    endif()
    set_property(GLOBAL APPEND PROPERTY RESTSCHEMA_GENERATE_NAMES "${arg_NAME}")
    if(NOT arg_OUTPUT_DIR)
        set(arg_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/restschema_gen/${arg_TARGET}")
        if(calls GREATER 1)
            string(APPEND arg_OUTPUT_DIR "_${calls}")
        endif()
    endif()
    cmake_path(ABSOLUTE_PATH arg_OUTPUT_DIR BASE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}" NORMALIZE)
    # The generator removes the headers it no longer produces: two calls in one folder would delete each other's.
    get_property(dirs GLOBAL PROPERTY RESTSCHEMA_GENERATE_OUTPUT_DIRS)
    if(arg_OUTPUT_DIR IN_LIST dirs)
        message(FATAL_ERROR "restschema_generate: OUTPUT_DIR '${arg_OUTPUT_DIR}' is used by another restschema_generate() call")
    endif()
    set_property(GLOBAL APPEND PROPERTY RESTSCHEMA_GENERATE_OUTPUT_DIRS "${arg_OUTPUT_DIR}")
    if(DEFINED arg_SOURCES AND NOT arg_COMPILED)
        message(FATAL_ERROR "restschema_generate: SOURCES is for COMPILED")
    endif()
    if(NOT DEFINED arg_SOURCES)
        set(arg_SOURCES 4)
    endif()
    if(NOT arg_SOURCES MATCHES "^[1-9][0-9]*$" OR arg_SOURCES GREATER 256)
        message(FATAL_ERROR "restschema_generate: SOURCES '${arg_SOURCES}' is not a number from 1 to 256")
    endif()
    if(arg_COMPILED AND NOT TARGET restschema::compiled)
        message(FATAL_ERROR "restschema_generate: COMPILED needs the target restschema::compiled "
                            "(find_package(restschema) or add_subdirectory(<restschema>) first)")
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

    # OPENAPI: imported at build time into a folder of the build tree, which is then generated like SCHEMAS.
    set(import_stamp "")
    if(arg_OPENAPI)
        cmake_path(ABSOLUTE_PATH arg_OPENAPI BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE)
        if(NOT EXISTS "${arg_OPENAPI}")
            message(FATAL_ERROR "restschema_generate: OPENAPI '${arg_OPENAPI}' does not exist")
        endif()
        if(NOT DEFINED arg_SERVICE)
            get_filename_component(arg_SERVICE "${arg_OPENAPI}" NAME_WE)
            string(MAKE_C_IDENTIFIER "${arg_SERVICE}" arg_SERVICE)
            string(TOLOWER "${arg_SERVICE}" arg_SERVICE)
        endif()
        if(NOT arg_SERVICE MATCHES "^[a-z][a-z0-9_]*$" OR arg_SERVICE STREQUAL "all")
            message(FATAL_ERROR "restschema_generate: SERVICE '${arg_SERVICE}' is not a service name (snake_case, not 'all')")
        endif()
        set(overlay_args "")
        set(overlay_file "")
        if(DEFINED arg_OVERLAY)
            cmake_path(ABSOLUTE_PATH arg_OVERLAY BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE)
            if(NOT EXISTS "${arg_OVERLAY}")
                message(FATAL_ERROR "restschema_generate: OVERLAY '${arg_OVERLAY}' does not exist")
            endif()
            set(overlay_args --overlay "${arg_OVERLAY}")
            set(overlay_file "${arg_OVERLAY}")
        endif()
        set(import_dir "${arg_OUTPUT_DIR}_openapi")
        set(import_stamp "${import_dir}/${arg_SERVICE}.import.stamp")
        add_custom_command(
            OUTPUT "${import_stamp}"
            COMMAND "${RESTSCHEMA_GENERATOR}" import openapi "${arg_OPENAPI}" --service "${arg_SERVICE}"
                    --out "${import_dir}" --force ${overlay_args}
            COMMAND "${CMAKE_COMMAND}" -E touch "${import_stamp}"
            DEPENDS "${arg_OPENAPI}" ${overlay_file} "${RESTSCHEMA_GENERATOR}" ${gen_sources}
            COMMENT "restschema-gen: importing ${arg_OPENAPI} as service ${arg_SERVICE}"
            VERBATIM)
        list(APPEND schemas "${import_dir}/${arg_SERVICE}")
    endif()

    # One custom target and stamp per call (a target may be given several schema sets).
    set(gen_target ${arg_TARGET}_restschema_gen)
    set(stamp "${CMAKE_CURRENT_BINARY_DIR}/${arg_TARGET}.restschema.stamp")
    set(n 1)
    while(TARGET ${gen_target})
        math(EXPR n "${n} + 1")
        set(gen_target ${arg_TARGET}_restschema_gen${n})
        set(stamp "${CMAKE_CURRENT_BINARY_DIR}/${arg_TARGET}.restschema${n}.stamp")
    endwhile()
    set(compiled_args "")
    set(compiled_sources "")
    if(arg_COMPILED)
        set(compiled_args --sources ${arg_SOURCES})
        math(EXPR last "${arg_SOURCES} - 1")
        foreach(i RANGE ${last})
            list(APPEND compiled_sources "${arg_OUTPUT_DIR}/src/restschema_endpoints_${i}.cpp")
        endforeach()
    endif()
    # The headers are declared as byproducts, so that the build tool sees which
    # ones the generator rewrote (it rewrites only those whose content changed)
    # and rebuilds the files that include them, and no others. Which headers
    # there are depends on the schemas' content: the generator lists them in
    # headers_list, rewritten only when that set changes, and CMake reads the
    # list here and configures again when it changes. Before the first build the
    # list is empty; every object is built after the generator anyway.
    set(headers_list "${stamp}.headers")
    if(NOT EXISTS "${headers_list}")
        file(WRITE "${headers_list}" "")
    endif()
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${headers_list}")
    file(STRINGS "${headers_list}" generated_headers)
    list(TRANSFORM generated_headers PREPEND "${arg_OUTPUT_DIR}/")
    add_custom_command(
        OUTPUT "${stamp}"
        BYPRODUCTS ${compiled_sources} ${generated_headers}
        COMMAND "${RESTSCHEMA_GENERATOR}" cpp --name "${arg_NAME}" ${compiled_args} ${endpoint_args}
                --headers-list "${headers_list}" --out "${arg_OUTPUT_DIR}" ${schemas}
        COMMAND "${CMAKE_COMMAND}" -E touch "${stamp}"
        DEPENDS ${schema_files} ${import_stamp} "${RESTSCHEMA_GENERATOR}" ${gen_sources}
        COMMENT "restschema-gen: generating C++ for ${arg_TARGET} (${arg_NAME})"
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

    if(arg_COMPILED)
        # The endpoints' binding and decoding and the types' codec, compiled
        # once in a static library, with the transport (restschema::compiled):
        # the target's users see declarations only.
        set(lib ${arg_NAME}_restschema_compiled)
        add_library(${lib} STATIC ${compiled_sources})
        add_dependencies(${lib} ${gen_target})
        target_include_directories(${lib} PUBLIC "$<BUILD_INTERFACE:${arg_OUTPUT_DIR}>")
        target_link_libraries(${lib} PUBLIC restschema::compiled)
        if(type STREQUAL "INTERFACE_LIBRARY")
            target_link_libraries(${arg_TARGET} INTERFACE ${lib})
        else()
            target_link_libraries(${arg_TARGET} PUBLIC ${lib})
        endif()
    endif()
    set_property(TARGET ${arg_TARGET} APPEND PROPERTY RESTSCHEMA_OUTPUT_DIRS "${arg_OUTPUT_DIR}")
endfunction()
