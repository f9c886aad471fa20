# The oracle of the Bundler groups test: Bundler's own reading of a Gemfile (Bundler::Dsl) and of its lock
# (Bundler::LockfileParser), and the gems Bundler needs with and without some groups (Bundler::SpecSet#for,
# as Bundler::Definition expands the Gemfile's dependencies), offline: nothing is installed or fetched.
# Usage: ruby bundler-groups.rb PATH/Gemfile test:development
require "bundler"
require "json"
# Debian 12's Bundler (2.3) predates two Gemfile words that newer Gemfiles use; neither bears on
# groups: the Ruby version read from a file (`ruby file: ".ruby-version"`) and force_ruby_platform.
module NewerGemfileWords
  def ruby(*args, **kw) end
  def valid_keys = super + %w[force_ruby_platform]
end
Bundler::Dsl.prepend(NewerGemfileWords)
gemfile = Pathname.new(ARGV[0]).expand_path
builder = Bundler::Dsl.new
builder.eval_gemfile(gemfile)
lock = Bundler::LockfileParser.new(File.read(gemfile.dirname.join(File.basename(gemfile) == "gems.rb" ? "gems.locked" : "Gemfile.lock")))
specs = Bundler::SpecSet.new(lock.specs)
# As Bundler::Definition expands them: each Gemfile dependency once per platform the lock was resolved for.
closure = ->(deps) { specs.for(deps.flat_map { |d| lock.platforms.map { |p| Bundler::DepProxy.get_proxy(d, p) } }, false, false).map(&:name).uniq.sort }
without = ARGV[1].to_s.split(":").map(&:to_sym)
puts JSON.generate(
  closure_all: closure.(builder.dependencies),
  closure_without: closure.(builder.dependencies.reject { |d| (d.groups - without).empty? }),
  groups: builder.dependencies.to_h { |d| [d.name, d.groups.map(&:to_s)] },
)
