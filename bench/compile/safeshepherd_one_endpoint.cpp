// One call of Safe Shepherd's seed endpoint (PUT update_user: JSON body, a
// typed, nested response), header-only: the reference of issue 12's budget
// on a translation unit calling one endpoint of a thousand-endpoint service.
// bench/scale_cost.py compiles it beside github_one_endpoint.cpp, which has
// the same shape.
#include <restschema/client.hpp>
#include <restschema/gen/safeshepherd/update_user.hpp> // generated from schemas/safeshepherd/

#include <iostream>

int main()
{
    restschema::client_options options;
    options.credentials = {{"api_key", "bench-key"}};
    restschema::client<safeshepherd::service> api(options);

    safeshepherd::update_user_request req;
    req.integration_name = "acme";
    req.id = 12;
    req.first_name = "Tommy";

    auto r = api.try_call(req);
    if (!r) {
        std::cerr << r.error().what() << '\n';
        return 1;
    }
    std::cout << r->id << '\n';
    return 0;
}
