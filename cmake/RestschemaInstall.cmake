# RestschemaInstall.cmake - `cmake --install` rules and the CMake package.
# Included from restschema's top-level CMakeLists.txt, after the restschema target.
#
#   <prefix>/include/restschema/**                      the headers
#   <prefix>/share/restschema/generator/                restschema-gen, its Python package,
#                                                       templates and JSON Schema
#   <prefix>/share/restschema/cmake/                    restschemaConfig.cmake, its version file,
#                                                       the exported target, RestschemaGenerate.cmake,
#                                                       RestschemaMock.cmake, RestschemaDocs.cmake
#
# The library is header-only and the generator is Python, so everything lives
# in architecture-independent places. RestschemaGenerate.cmake finds the
# generator at ../generator/restschema-gen relative to itself, in the source
# tree and in an install alike: keep cmake/ and generator/ siblings.
#
# RESTSCHEMA_INSTALL (default: on when restschema is the top-level project)
# turns the rules on or off, e.g. for a project that vendors restschema with
# add_subdirectory() and installs only its own programs.
include_guard(GLOBAL)

option(RESTSCHEMA_INSTALL "Generate restschema's install rules" ${RESTSCHEMA_TOP_LEVEL})
if(NOT RESTSCHEMA_INSTALL)
    return()
endif()

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

get_filename_component(_restschema_src "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(_restschema_share "${CMAKE_INSTALL_DATADIR}/restschema")
set(_restschema_cmakedir "${_restschema_share}/cmake")

# Headers: include/restschema/**, detail/ and impl/ included (the public headers use them).
install(DIRECTORY "${_restschema_src}/include/restschema"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        COMPONENT restschema_development
        FILES_MATCHING PATTERN "*.hpp" PATTERN "*.ipp")

# The INTERFACE target. Its install include dir is `include` (the
# INSTALL_INTERFACE in CMakeLists.txt); a different CMAKE_INSTALL_INCLUDEDIR is added.
set(_restschema_includes "")
if(NOT CMAKE_INSTALL_INCLUDEDIR STREQUAL "include")
    set(_restschema_includes INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
endif()
install(TARGETS restschema EXPORT restschemaTargets ${_restschema_includes})
# restschema::mock, the mock server component (RestschemaMock.cmake defines it).
install(TARGETS restschema_mock EXPORT restschemaTargets)
# restschema::xml, XML responses through Expat (when Expat was found).
if(TARGET restschema_xml)
    install(TARGETS restschema_xml EXPORT restschemaTargets)
endif()
# restschema::compiled, the compiled-once transport (librestschema.a).
install(TARGETS restschema_compiled EXPORT restschemaTargets
        ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT restschema_development)
install(EXPORT restschemaTargets
        NAMESPACE restschema::
        DESTINATION "${_restschema_cmakedir}"
        COMPONENT restschema_development)

# The generator: the script (executable), its package, templates and JSON Schema.
install(PROGRAMS "${_restschema_src}/generator/restschema-gen"
        DESTINATION "${_restschema_share}/generator"
        COMPONENT restschema_development)
install(DIRECTORY
            "${_restschema_src}/generator/restschema_gen"
            "${_restschema_src}/generator/templates"
            "${_restschema_src}/generator/schema"
        DESTINATION "${_restschema_share}/generator"
        COMPONENT restschema_development
        PATTERN "__pycache__" EXCLUDE
        PATTERN "*.pyc" EXCLUDE)

# The package: config, version, and the two CMake modules it includes.
configure_package_config_file(
    "${CMAKE_CURRENT_LIST_DIR}/restschemaConfig.cmake.in"
    "${CMAKE_CURRENT_BINARY_DIR}/restschemaConfig.cmake"
    INSTALL_DESTINATION "${_restschema_cmakedir}")
# 0.x: a minor version may break the API (and the generated code), so only
# the same major.minor satisfies a request.
write_basic_package_version_file(
    "${CMAKE_CURRENT_BINARY_DIR}/restschemaConfigVersion.cmake"
    VERSION "${restschema_VERSION}"
    COMPATIBILITY SameMinorVersion
    ARCH_INDEPENDENT)
set(_restschema_modules
    "${CMAKE_CURRENT_LIST_DIR}/RestschemaGenerate.cmake"
    "${CMAKE_CURRENT_LIST_DIR}/RestschemaMock.cmake")
# restschema_docs() (Markdown and OpenAPI from the schemas), when present.
if(EXISTS "${CMAKE_CURRENT_LIST_DIR}/RestschemaDocs.cmake")
    list(APPEND _restschema_modules "${CMAKE_CURRENT_LIST_DIR}/RestschemaDocs.cmake")
endif()
install(FILES
            "${CMAKE_CURRENT_BINARY_DIR}/restschemaConfig.cmake"
            "${CMAKE_CURRENT_BINARY_DIR}/restschemaConfigVersion.cmake"
            ${_restschema_modules}
        DESTINATION "${_restschema_cmakedir}"
        COMPONENT restschema_development)
