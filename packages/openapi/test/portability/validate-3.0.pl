#!/usr/bin/perl
# Loads the OpenAPI 3.0 rendition with Perl's JSON::Validator (Debian's libjson-validator-perl,
# pulled in by libopenapi-client-perl), an OpenAPI 3.0-only validator, and validates requests
# and responses of every operation against it. Reads one JSON object from stdin:
#   { "spec": "<path>", "cases": [ { "name", "direction": "request"|"response",
#     "method", "path", "status", "body", "query", "pathParams" } ] }
# and prints one JSON object: { "versions": {...}, "successResponses": {...},
# "results": [ { "name", "errors": [ "..." ] } ] }.
use strict;
use warnings;
use JSON::PP ();
use JSON::Validator;
use JSON::Validator::Schema::OpenAPIv3;
use OpenAPI::Client;

my $json  = JSON::PP->new->canonical->allow_nonref;
my $input = $json->decode(do { local $/; <STDIN> });

my $schema = JSON::Validator->new->schema($input->{spec})->schema;
die "not an OpenAPI v3 schema: " . ref($schema) . "\n" unless $schema->isa('JSON::Validator::Schema::OpenAPIv3');
my @spec_errors = map {"$_"} @{$schema->errors};

# Which success responses JSON::Validator resolves to a body schema, per operation.
my %success;
for my $route (@{$schema->routes->to_array}) {
  my $responses = $schema->get([paths => $route->{path}, $route->{method}, 'responses']);
  for my $status (grep {/^2/} keys %$responses) {
    my $params = $schema->parameters_for_response([$route->{method}, $route->{path}, $status]) || [];
    my ($body) = grep { $_->{in} eq 'body' } @$params;
    $success{"$route->{method} $route->{path} $status"}
      = $body && $body->{content}{'application/json'}{schema} ? JSON::PP::true : JSON::PP::false;
  }
}

my @results;
for my $case (@{$input->{cases}}) {
  my %req = (
    body => sub { return {exists => exists $case->{body} ? 1 : 0, value => $case->{body}, content_type => 'application/json'} },
    query  => $case->{query}      || {},
    path   => $case->{pathParams} || {},
    header => {Authorization => 'Bearer test-key'},
  );
  my @errors = $case->{direction} eq 'request'
    ? $schema->validate_request([$case->{method}, $case->{path}], \%req)
    : $schema->validate_response([$case->{method}, $case->{path}, $case->{status}], \%req);
  push @results, {name => $case->{name}, errors => [map {"$_"} @errors]};
}

print $json->encode({
  versions => {
    perl => sprintf('%vd', $^V),
    'JSON::Validator' => $JSON::Validator::VERSION,
    'OpenAPI::Client' => $OpenAPI::Client::VERSION,
  },
  specErrors       => \@spec_errors,
  successResponses => \%success,
  results          => \@results,
}), "\n";
