"""Ruby insecure defaults."""

import textwrap

from spillguard.engine.insecure import scan_insecure
from spillguard.engine.parsing import parse_bytes
from spillguard.engine.rulecheck import apply_edits

CONTROLLER = textwrap.dedent("""\
    require 'net/http'
    require 'yaml'

    class ImportsController < ApplicationController
      def create
        settings = YAML.load(params[:settings])
        http = Net::HTTP.new(uri.host, uri.port)
        http.use_ssl = true
        http.verify_mode = OpenSSL::SSL::VERIFY_NONE
        Rails.logger.info "importing with token #{settings['api_token']}"
        puts "password: #{params[:password]}"
      end
    end
""")

SAFE = textwrap.dedent("""\
    class ImportsController < ApplicationController
      def create
        settings = YAML.safe_load(params[:settings])
        http = Net::HTTP.new(uri.host, uri.port)
        http.use_ssl = true
        http.verify_mode = OpenSSL::SSL::VERIFY_PEER
        Rails.logger.info "importing for #{current_user.email}"
        config = YAML.load(File.read('config/app.yml'))
      end
    end
""")


def test_an_assistant_written_controller():
    found = {(f.rule_id, f.start_line) for f in scan_insecure(CONTROLLER, "app/controllers/imports_controller.rb")}
    assert found == {
        ("ruby-yaml-load-input", 6),
        ("ruby-ssl-verify-none", 9),
        ("ruby-secret-in-log", 10),
        ("ruby-secret-in-log", 11),
    }


def test_the_safe_twin_has_no_findings():
    assert scan_insecure(SAFE, "app/controllers/imports_controller.rb") == []


def test_fixes_verify_peer_and_safe_load_parse():
    fixed = CONTROLLER
    for rule in ("ruby-ssl-verify-none", "ruby-yaml-load-input"):
        [f] = [f for f in scan_insecure(fixed, "c.rb") if f.rule_id == rule]
        [fix] = f.fixes
        assert fix.safe
        fixed = apply_edits(fixed, fix.edits)
    assert "OpenSSL::SSL::VERIFY_PEER" in fixed and "YAML.safe_load(params[:settings])" in fixed
    assert not parse_bytes("ruby", fixed.encode()).root_node.has_error
    assert {f.rule_id for f in scan_insecure(fixed, "c.rb")} == {"ruby-secret-in-log"}


STATUS = textwrap.dedent("""\
    require "httparty"

    class StatusClient
      include HTTParty
      base_uri "https://status.example.com"

      def self.ping
        get("/ping", verify: false)
      end

      def self.components
        get("/components", verify: true)
      end

      def self.incidents
        get("/incidents", verify: ENV.fetch("STATUS_VERIFY_TLS", "true") == "true")
      end

      def self.check(payload)
        Schema.validate(payload, verify: false)
      end
    end

    class LegacyStatusClient
      include HTTParty
      default_options.update(verify: false)
    end

    HTTParty.get(url, :verify => false)
""")


def test_httparty_verify_false_is_a_finding_in_calls_and_default_options():
    found = [f for f in scan_insecure(STATUS, "lib/status_client.rb") if f.rule_id == "ruby-ssl-verify-false"]
    assert [f.start_line for f in found] == [8, 26, 29]
    lines = STATUS.splitlines()
    assert {lines[f.start_line - 1][f.start_col - 1 : f.end_col - 1] for f in found} == {"false"}


def test_verify_false_outside_httparty_files_is_someone_elses_option():
    assert scan_insecure("class Signup\n  def create\n    Client.get(path, verify: false)\n  end\nend\n", "a.rb") == []


def test_httparty_fix_turns_verification_on_and_parses():
    fixed = STATUS
    while True:
        todo = [f for f in scan_insecure(fixed, "s.rb") if f.rule_id == "ruby-ssl-verify-false"]
        if not todo:
            break
        [fix] = todo[0].fixes
        assert fix.safe
        fixed = apply_edits(fixed, fix.edits)
    assert "Schema.validate(payload, verify: false)" in fixed  # not an HTTP option: left alone
    assert 'get("/ping", verify: true)' in fixed and "default_options.update(verify: true)" in fixed
    assert "HTTParty.get(url, :verify => true)" in fixed
    assert not parse_bytes("ruby", fixed.encode()).root_node.has_error


def test_smtp_pass_from_env_fetch_in_a_log_is_a_finding():
    text = ('Rails.logger.info "SMTP user #{ENV.fetch(\'SMTP_USER\')}"\n'
            'Rails.logger.debug "SMTP login #{ENV.fetch(\'SMTP_USER\')} / #{ENV.fetch(\'SMTP_PASS\')}"\n'
            'puts "SMTP_PASS set: #{ENV.key?(\'SMTP_PASS\')}"\n')
    found = scan_insecure(text, "config/initializers/smtp.rb")
    assert [(f.rule_id, f.start_line) for f in found] == [("ruby-secret-in-log", 2)]
    assert text.splitlines()[1][found[0].start_col - 1 : found[0].end_col - 1] == "'SMTP_PASS'"
