// restschema/detail/config.hpp - header-only or compiled once.
//
// By default restschema is header-only: the non-template parts (transport,
// retry policy, error mapping) are `inline` and compiled in every translation
// unit that includes them. Define RESTSCHEMA_SEPARATE_COMPILATION in every
// translation unit of the program and include <restschema/src.hpp> in exactly
// one of them (or link the CMake target restschema::compiled, which does
// both), and the other files see declarations only.
#pragma once

#if defined(RESTSCHEMA_SEPARATE_COMPILATION)
#define RESTSCHEMA_DECL
#else
#define RESTSCHEMA_DECL inline
#endif

namespace restschema::detail::link_check {

// Mixing the two modes in one program would give two definitions of every
// transport function, inline in some objects and out of line in another: an
// ODR violation that links silently. These two markers turn it into a link
// error that names the cause:
//  - a header-only object emits an inline (COMDAT) definition of the marker,
//    and src.hpp emits an ordinary one: the linker reports a multiple
//    definition of `header_only_and_compiled_once_mixed`;
//  - a compiled-once object refers to a symbol that only src.hpp defines: a
//    program that forgot src.hpp fails with an undefined reference to
//    `compiled_once_needs_restschema_src_hpp`.
#if defined(RESTSCHEMA_SEPARATE_COMPILATION)
extern int const compiled_once_needs_restschema_src_hpp;
[[gnu::used]] static int const* const compiled_once_reference = &compiled_once_needs_restschema_src_hpp;
#else
[[gnu::used]] inline int header_only_and_compiled_once_mixed = 0;
#endif

} // namespace restschema::detail::link_check
