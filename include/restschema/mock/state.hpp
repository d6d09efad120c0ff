// restschema/mock/state.hpp - the records of the mock server's stateful mode.
//
// Records are JSON objects kept per collection (the schema's `mock.collection`).
// Updates follow the schema's update semantics, applied to the request's
// body JSON; nothing here knows a particular API.
#pragma once

#include <restschema/error_table.hpp> // detail::json_code: an integer, or a string of digits

#include <restschema/detail/json_text.hpp>
#include <restschema/meta.hpp>

#include <boost/json/parser.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace restschema::mock {

namespace json = boost::json;

/// The text of a key value, so that path "12" matches JSON 12 and "12".
inline std::optional<std::string> key_text(json::value const* v)
{
    if (!v || v->is_null())
        return std::nullopt;
    if (auto const* s = v->if_string())
        return std::string(s->data(), s->size());
    if (v->is_int64())
        return std::to_string(v->get_int64());
    if (v->is_uint64())
        return std::to_string(v->get_uint64());
    if (v->is_bool())
        return std::string(v->get_bool() ? "true" : "false");
    return json::serialize(*v);
}

/// Index of the object in `arr` whose field `key` has the text `text`.
inline std::optional<std::size_t> find_record(json::array const& arr, std::string_view key,
                                              std::string_view text)
{
    for (std::size_t i = 0; i < arr.size(); ++i)
        if (auto const* o = arr[i].if_object())
            if (auto t = key_text(o->if_contains(key)); t && *t == text)
                return i;
    return std::nullopt;
}

/// The next integer key of a collection or list: max existing + 1 (1 when none).
inline std::int64_t next_id(json::array const& arr, std::string_view key)
{
    std::int64_t max = 0;
    for (auto const& v : arr)
        if (auto const* o = v.if_object())
            if (auto n = restschema::detail::json_code(o->if_contains(key)); n && *n > max)
                max = *n;
    return max + 1;
}

/// Sets one field following the scalar rules: a blank string truncates when
/// the semantics say so, and is ignored when they say it does not.
inline void set_field(json::object& target, std::string_view key, json::value const& v,
                      update_semantics const& sem)
{
    if (sem.present && !sem.blank_truncates) {
        if (auto const* s = v.if_string(); s && s->empty())
            return;
    }
    target[key] = v;
}

/// Merges the items of a list update into a stored list (`lists: append`):
/// an item without the key is appended with a fresh key, an item with the
/// key updates that item, and with the destroy flag deletes it. Returns ""
/// or, for a key that the list does not hold, what is wrong (nothing is
/// applied then: the caller keeps the record as it was).
inline std::string merge_list(json::value& stored, json::array const& items, update_semantics const& sem,
                              std::string_view list)
{
    if (!stored.is_array())
        stored = json::array();
    auto& arr = stored.as_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
        auto const& item = items[i];
        auto const* in = item.if_object();
        if (!in || sem.item_key.empty()) {
            arr.push_back(item); // a list of scalars: appended
            continue;
        }
        json::object obj = *in;
        bool destroy = false;
        if (!sem.item_destroy.empty()) {
            if (auto const* d = obj.if_contains(sem.item_destroy))
                destroy = d->is_bool() && d->get_bool();
            obj.erase(sem.item_destroy);
        }
        auto const key = key_text(obj.if_contains(sem.item_key));
        if (key) {
            auto const at = find_record(arr, sem.item_key, *key);
            if (!at)
                return std::string(list) + "[" + std::to_string(i) + "]: no item with " +
                       std::string(sem.item_key) + " " + restschema::detail::printable(*key, 64) + " to " +
                       (destroy ? "delete" : "update");
            if (destroy) {
                arr.erase(arr.begin() + static_cast<std::ptrdiff_t>(*at));
            } else {
                auto& existing = arr[*at].as_object();
                for (auto const& [k, v] : obj)
                    if (k != sem.item_key)
                        set_field(existing, k, v, sem);
            }
        } else if (!destroy) {
            json::object fresh;
            fresh[sem.item_key] = next_id(arr, sem.item_key);
            for (auto const& [k, v] : obj)
                if (k != sem.item_key)
                    fresh[k] = v;
            arr.push_back(std::move(fresh));
        }
    }
    return {};
}

/// Applies an update (the request's body fields as JSON) to a stored record.
/// `fields`: the body fields the endpoint can update (used when the schema
/// says absent fields are cleared). Returns "" or why the update cannot
/// apply (merge_list).
inline std::string apply_update(json::object& record, json::object const& update, update_semantics const& sem,
                                std::vector<std::string_view> const& fields)
{
    if (!sem.present) {
        for (auto const& [k, v] : update)
            record[k] = v; // present fields replace
        return {};
    }
    for (auto const& [k, v] : update) {
        if (auto const* items = v.if_array(); items && sem.lists_append) {
            if (auto why = merge_list(record[k], *items, sem, k); !why.empty())
                return why;
        } else {
            set_field(record, k, v, sem);
        }
    }
    if (!sem.absent_ignored)
        for (auto f : fields)
            if (!update.contains(f))
                record.erase(f);
    return {};
}

/// The collections of the mock and the mutex that guards them.
class store {
  public:
    std::mutex mutex;
    std::map<std::string, json::array, std::less<>> collections;
};

/// Reads a seed file: `{"<collection>": [records...]}`. Returns "" on
/// success, else a message naming the file and the problem.
inline std::string read_seed_file(std::string const& path,
                                  std::map<std::string, json::array, std::less<>>& out)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return "seed file \"" + path + "\": cannot open: " + std::strerror(errno);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        return "seed file \"" + path + "\": cannot read";
    std::string const text = ss.str();
    std::string why;
    auto jv = restschema::detail::parse_json(text, why);
    if (!jv)
        return "seed file \"" + path + "\": invalid JSON: " + why;
    auto* obj = jv->if_object();
    if (!obj)
        return "seed file \"" + path + "\": expected a JSON object {\"<collection>\": [records...]}, found " +
               std::string(json::to_string(jv->kind()));
    for (auto& [k, v] : *obj) {
        auto* arr = v.if_array();
        if (!arr)
            return "seed file \"" + path + "\": collection \"" + std::string(k) +
                   "\" must be an array of records";
        for (std::size_t i = 0; i < arr->size(); ++i)
            if (!(*arr)[i].is_object())
                return "seed file \"" + path + "\": " + std::string(k) + "[" + std::to_string(i) +
                       "] must be a JSON object";
        out[std::string(k)] = std::move(*arr);
    }
    return {};
}

} // namespace restschema::mock
