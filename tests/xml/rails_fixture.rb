# Writes the Safe Shepherd example response as Rails itself serializes it:
#   ruby rails_fixture.rb <update_user.yaml> <out.json> <out.xml>
# The example comes from the schema (the seed's "View Example"). Its times
# are in the JSON form of ActiveSupport's legacy time format
# ("2012/05/27 00:46:39 +0000"); a Rails model holds them as times, so they
# are turned into Time before Hash#to_xml, which then writes them as
# type="datetime" in ISO 8601, as the server's XML does. Everything else is
# ActiveSupport's Hash#to_xml unchanged: the XML is not written by restschema.
require "yaml"
require "json"
require "time"
require "active_support"
require "active_support/core_ext"

schema, json_out, xml_out = ARGV
example = YAML.safe_load(File.read(schema)).fetch("endpoint").fetch("response").fetch("example")

RAILS_TIME = %r{\A\d{4}/\d\d/\d\d \d\d:\d\d:\d\d [+-]\d{4}\z}
def as_model(v)
  case v
  when Hash then v.transform_values { |x| as_model(x) }
  when Array then v.map { |x| as_model(x) }
  when RAILS_TIME then Time.strptime(v, "%Y/%m/%d %H:%M:%S %z")
  else v
  end
end

File.write(json_out, JSON.pretty_generate(example))
File.write(xml_out, as_model(example.fetch("user")).to_xml(root: "user"))
