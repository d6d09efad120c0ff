// One call of a GitHub endpoint (PATCH repos_update_release: JSON body; the
// response, Release, has 25 fields and nests 6 more types), header-only,
// generated from GitHub's full description (1,223 endpoints, 1,287 types).
// Issue 12's budget: at most 1.1x the CPU time of safeshepherd_one_endpoint.cpp,
// which has the same shape. bench/scale_cost.py measures both.
#include <restschema/client.hpp>
#include <restschema/gen/github/repos_update_release.hpp> // imported from api.github.com.json

#include <iostream>

int main()
{
    restschema::client_options options;
    options.credentials = {{"bearer", "bench-token"}};
    restschema::client<github::service> api(options);

    github::repos_update_release_request req;
    req.owner = "octocat";
    req.release_id = 1;
    req.name = "v1.0.1";

    auto r = api.try_call(req);
    if (!r) {
        std::cerr << r.error().what() << '\n';
        return 1;
    }
    std::cout << r->id << '\n';
    return 0;
}
