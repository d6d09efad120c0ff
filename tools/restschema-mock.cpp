// restschema-mock: serves every endpoint generated from schemas/ (see restschema/mock.hpp).
#include <restschema/gen/all.extras.hpp>
#include <restschema/mock.hpp>

int main(int argc, char** argv)
{
    return restschema::mock::main<restschema::gen::all_endpoints>(argc, argv);
}
