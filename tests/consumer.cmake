# Tests of restschema as other projects use it. Included from tests/CMakeLists.txt:
#
#   headers_self_contained   every public header (include/restschema/*.hpp and the
#                            binding/, transport/, mock/ components) compiles on its own
#   consumer_install         (fixture) cmake --install of this build into consumer-install/
#   consumer                 tests/consumer: find_package(restschema) from that install,
#                            restschema_generate, restschema_add_mock, client calls the mock
#   subproject_add_subdirectory, subproject_fetchcontent
#                            tests/add_subdirectory: restschema as a subproject
#   real_apis                tests/real_apis: GitHub's and Rclone's published descriptions
#                            imported at build time, one endpoint of each called through the
#                            client against Prism (the original description) and restschema's
#                            mock of a subset (issue 12)
#
# The projects are built in ${CMAKE_BINARY_DIR}/consumer-build etc., kept between
# runs; they use this build's generator, compiler, build type, Boost and ccache.

# ---------------------------------------------------------------- headers_self_contained
# One translation unit per public header, holding only `#include <restschema/X.hpp>`,
# compiled with this project's warnings (-Werror). detail/ and impl/ headers are
# private parts of the public ones and are not compiled alone. Not part of `all`:
# the test builds it.
# The components' headers (binding/, transport/, mock/) are public too.
file(GLOB _restschema_public_headers CONFIGURE_DEPENDS
    "${PROJECT_SOURCE_DIR}/include/restschema/*.hpp"
    "${PROJECT_SOURCE_DIR}/include/restschema/binding/*.hpp"
    "${PROJECT_SOURCE_DIR}/include/restschema/transport/*.hpp"
    "${PROJECT_SOURCE_DIR}/include/restschema/mock/*.hpp")
set(_restschema_self_contained_sources "")
foreach(h IN LISTS _restschema_public_headers)
    file(RELATIVE_PATH rel "${PROJECT_SOURCE_DIR}/include" "${h}")
    string(REGEX REPLACE "^restschema/|\\.hpp$" "" name "${rel}")
    string(REPLACE "/" "__" name "${name}")
    set(tu "${CMAKE_CURRENT_BINARY_DIR}/self_contained/${name}.cpp")
    file(CONFIGURE OUTPUT "${tu}" CONTENT "#include <${rel}>\n")
    list(APPEND _restschema_self_contained_sources "${tu}")
endforeach()
add_library(restschema_headers_self_contained OBJECT EXCLUDE_FROM_ALL ${_restschema_self_contained_sources})
# src.hpp is the compiled-once part: it is only ever compiled in that mode.
set_source_files_properties("${CMAKE_CURRENT_BINARY_DIR}/self_contained/src.cpp"
    PROPERTIES COMPILE_DEFINITIONS RESTSCHEMA_SEPARATE_COMPILATION)
target_link_libraries(restschema_headers_self_contained PRIVATE restschema::restschema)
add_test(NAME headers_self_contained
    COMMAND "${CMAKE_COMMAND}" --build "${CMAKE_BINARY_DIR}" --target restschema_headers_self_contained
            --parallel 2)
set_tests_properties(headers_self_contained PROPERTIES TIMEOUT 900 PROCESSORS 2)

# ---------------------------------------------------------------- shared configure arguments
set(_restschema_project_args -G "${CMAKE_GENERATOR}" "-DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}")
if(CMAKE_MAKE_PROGRAM)
    list(APPEND _restschema_project_args "-DCMAKE_MAKE_PROGRAM=${CMAKE_MAKE_PROGRAM}")
endif()
if(CMAKE_BUILD_TYPE)
    list(APPEND _restschema_project_args "-DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}")
endif()
if(CMAKE_CXX_COMPILER_LAUNCHER)
    list(APPEND _restschema_project_args "-DCMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER}")
endif()
if(Boost_DIR)
    list(APPEND _restschema_project_args "-DBoost_DIR=${Boost_DIR}")
endif()
set(_restschema_driver "${CMAKE_CURRENT_LIST_DIR}/consumer/build_and_run.cmake")

# ---------------------------------------------------------------- consumer_install, consumer
set(_restschema_consumer_prefix "${CMAKE_BINARY_DIR}/consumer-install")
add_test(NAME consumer_install
    COMMAND "${CMAKE_COMMAND}" --install "${CMAKE_BINARY_DIR}" --prefix "${_restschema_consumer_prefix}")
set_tests_properties(consumer_install PROPERTIES FIXTURES_SETUP restschema_consumer_install)

add_test(NAME consumer
    COMMAND "${CMAKE_COMMAND}"
            "-DSOURCE_DIR=${CMAKE_CURRENT_LIST_DIR}/consumer"
            "-DBINARY_DIR=${CMAKE_BINARY_DIR}/consumer-build"
            "-DCTEST=${CMAKE_CTEST_COMMAND}"
            -P "${_restschema_driver}" --
            ${_restschema_project_args} "-DCMAKE_PREFIX_PATH=${_restschema_consumer_prefix}")
# Two Beast translation units (the client and the mock's main): a few minutes on a cold cache.
set_tests_properties(consumer PROPERTIES
    FIXTURES_REQUIRED restschema_consumer_install TIMEOUT 900 PROCESSORS 2)

# ---------------------------------------------------------------- restschema as a subproject
foreach(via IN ITEMS add_subdirectory FetchContent)
    string(TOLOWER "${via}" name)
    add_test(NAME subproject_${name}
        COMMAND "${CMAKE_COMMAND}"
                "-DSOURCE_DIR=${CMAKE_CURRENT_LIST_DIR}/add_subdirectory"
                "-DBINARY_DIR=${CMAKE_BINARY_DIR}/subproject-${name}"
                "-DCTEST=${CMAKE_CTEST_COMMAND}"
                -P "${_restschema_driver}" --
                ${_restschema_project_args}
                "-DRESTSCHEMA_SOURCE=${PROJECT_SOURCE_DIR}" "-DRESTSCHEMA_VIA=${via}")
    set_tests_properties(subproject_${name} PROPERTIES TIMEOUT 600)
endforeach()

# ---------------------------------------------------------------- real_apis
# restschema as a subproject (nothing of this build is needed), the descriptions
# fetched by generator_import_real_setup, Prism installed by openapi_lint_setup.
add_test(NAME real_apis
    COMMAND "${CMAKE_COMMAND}"
            "-DSOURCE_DIR=${CMAKE_CURRENT_LIST_DIR}/real_apis"
            "-DBINARY_DIR=${CMAKE_BINARY_DIR}/real-apis"
            "-DCTEST=${CMAKE_CTEST_COMMAND}"
            -P "${_restschema_driver}" --
            ${_restschema_project_args} "-DRESTSCHEMA_SOURCE=${PROJECT_SOURCE_DIR}")
# Three Beast translation units (the client, two mocks) on a cold cache, then
# two Prisms starting (GitHub's 13 MB description: about 30 s).
set_tests_properties(real_apis PROPERTIES
    FIXTURES_REQUIRED "restschema_descriptions;restschema_redocly" TIMEOUT 1200 PROCESSORS 2)
