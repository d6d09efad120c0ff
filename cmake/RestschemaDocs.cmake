# RestschemaDocs.cmake - Markdown reference and OpenAPI documents from restschema YAML.
#
#   include(cmake/RestschemaDocs.cmake)
#   restschema_docs(TARGET <name> SCHEMAS <dir or file>... OUTPUT_DIR <dir> [OPENAPI_DIR <dir>])
#
# Adds a custom target <name> (not part of ALL) that runs
#   restschema-gen docs --out <OUTPUT_DIR> <SCHEMAS>...      (Markdown pages + samples.json)
#   restschema-gen openapi --out <OPENAPI_DIR> <SCHEMAS>...  (<service>.openapi.json)
# The generator rewrites only files whose content changed, so the target is
# cheap to run again.
#
# Included from restschema's own top-level project, this file also defines the
# target `docs`: it refreshes the committed pages in docs/api/ from schemas/
# and writes the OpenAPI documents into <build>/openapi/. Run it after changing
# a schema: `cmake --build build --target docs` (the generator_docs_fresh test
# fails while docs/api/ is stale).
include_guard(GLOBAL)

get_filename_component(_restschema_docs_root "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
if(NOT DEFINED RESTSCHEMA_GENERATOR)
    set(RESTSCHEMA_GENERATOR "${_restschema_docs_root}/generator/restschema-gen"
        CACHE FILEPATH "restschema-gen executable")
endif()

function(restschema_docs)
    cmake_parse_arguments(PARSE_ARGV 0 arg "" "TARGET;OUTPUT_DIR;OPENAPI_DIR" "SCHEMAS")
    if(NOT arg_TARGET)
        message(FATAL_ERROR "restschema_docs: TARGET is required")
    endif()
    if(NOT arg_SCHEMAS)
        message(FATAL_ERROR "restschema_docs: SCHEMAS is required")
    endif()
    if(NOT arg_OUTPUT_DIR)
        message(FATAL_ERROR "restschema_docs: OUTPUT_DIR is required")
    endif()
    if(arg_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "restschema_docs: unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
    endif()
    set(schemas "")
    foreach(s IN LISTS arg_SCHEMAS)
        cmake_path(ABSOLUTE_PATH s BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE)
        list(APPEND schemas "${s}")
    endforeach()
    cmake_path(ABSOLUTE_PATH arg_OUTPUT_DIR BASE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}" NORMALIZE)
    set(commands
        COMMAND "${RESTSCHEMA_GENERATOR}" docs --out "${arg_OUTPUT_DIR}" ${schemas})
    if(arg_OPENAPI_DIR)
        cmake_path(ABSOLUTE_PATH arg_OPENAPI_DIR BASE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}" NORMALIZE)
        list(APPEND commands
            COMMAND "${RESTSCHEMA_GENERATOR}" openapi --out "${arg_OPENAPI_DIR}" ${schemas})
    endif()
    add_custom_target(${arg_TARGET}
        ${commands}
        COMMENT "restschema-gen: Markdown reference in ${arg_OUTPUT_DIR}"
        VERBATIM)
endfunction()

if(RESTSCHEMA_TOP_LEVEL AND NOT TARGET docs)
    restschema_docs(TARGET docs
        SCHEMAS "${_restschema_docs_root}/schemas"
        OUTPUT_DIR "${_restschema_docs_root}/docs/api"
        OPENAPI_DIR "${PROJECT_BINARY_DIR}/openapi")
endif()
