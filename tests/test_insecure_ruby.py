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
