# SPDX-License-Identifier: Apache-2.0
# Helpers shared by the Vivado recipes (bitstreams/<board>/build.tcl). Plain Tcl 8.5 plus the
# Vivado commands each proc names; scripts/shells-check.sh runs them under tclsh with Vivado's
# commands mocked (scripts/vivado_mock.tcl).

# An environment variable's value, or a default when it is unset or empty.
proc tw_env {name default} {
    if {[info exists ::env($name)] && $::env($name) ne ""} { return $::env($name) }
    return $default
}

# The core's source files, in compile order, from the one list (scripts/rtl_files.sh).
proc tw_rtl_files {root} {
    set files {}
    foreach f [exec bash [file join $root scripts rtl_files.sh]] {
        lappend files [file join $root $f]
    }
    return $files
}

# The card's identity, from hdl/regs/card.toml (the one definition; see that file).
proc tw_card_value {root key} {
    set fh [open [file join $root hdl regs card.toml] r]
    set text [read $fh]
    close $fh
    if {![regexp -line "^\\s*${key}\\s*=\\s*0x(\[0-9A-Fa-f\]+)" $text -> hex]} {
        error "card.toml: no hexadecimal '$key'"
    }
    return $hex
}

# Ports of a Verilog module as {name {dir width} ...}: from a Vivado instantiation template
# (.veo: ".name(name),  // input wire [14 : 0] name") or from a lint stub
# ("input  wire [14:0] name,", one port per line, literal widths).
proc tw_veo_ports {path} {
    set ports [dict create]
    set fh [open $path r]
    foreach line [split [read $fh] "\n"] {
        if {[regexp {^\s*\.(\w+)\s*\(.*//\s*(input|output|inout)\s+wire\s*(?:\[\s*(\d+)\s*:\s*0\s*\])?\s*(\w+)} $line -> pin dir msb name]} {
            dict set ports $pin [list $dir [expr {$msb eq "" ? 1 : $msb + 1}]]
        }
    }
    close $fh
    return $ports
}
proc tw_stub_ports {path} {
    set ports [dict create]
    set fh [open $path r]
    foreach line [split [read $fh] "\n"] {
        if {[regexp {^\s*(input|output|inout)\s+(?:wire|logic)\s*(?:\[(\d+):0\])?\s*(\w+)\s*,?\s*(?://.*)?$} $line -> dir msb name]} {
            dict set ports $name [list $dir [expr {$msb eq "" ? 1 : $msb + 1}]]
        }
    }
    close $fh
    return $ports
}

# Stop unless the IP Vivado generated has exactly the ports of the lint stub the shell was
# checked against (hdl/shells/stubs/<module>.sv): same names, directions and widths. A port the
# stub lacks would be left unconnected in the shell and tied to 0 by synthesis, silently.
proc tw_check_ip_ports {veo stub} {
    set got  [tw_veo_ports $veo]
    set want [tw_stub_ports $stub]
    if {[dict size $got] == 0} { error "no ports found in $veo" }
    set errors {}
    dict for {name dw} $got {
        if {![dict exists $want $name]} {
            lappend errors "generated IP has port '$name' ($dw) that the stub lacks"
        } elseif {[dict get $want $name] ne $dw} {
            lappend errors "port '$name': generated [join $dw { }], stub [join [dict get $want $name] { }]"
        }
    }
    dict for {name dw} $want {
        if {![dict exists $got $name]} { lappend errors "stub has port '$name' that the generated IP lacks" }
    }
    if {[llength $errors]} {
        error "IP ports differ from [file tail $stub] ([llength $errors]):\n  [join $errors "\n  "]\nFix the stub and the shell (then make shells-check), or the IP options in alveo_ip.tcl."
    }
    puts "tickwire: [file tail $veo]: [dict size $got] ports, as in [file tail $stub]"
}

# A JSON string literal (ASCII text: paths, versions, hashes).
proc tw_json_str {s} {
    return "\"[string map {\\ \\\\ \" \\\" \n \\n \t \\t} $s]\""
}

# First number in the row of a report_utilization table whose first column starts with $label.
proc tw_util_used {report label} {
    foreach line [split $report "\n"] {
        if {[regexp "^\\|\\s*[string map {( \\( ) \\) + \\+} $label]\\s*\\|\\s*(\[0-9.\]+)" $line -> used]} {
            return $used
        }
    }
    return null
}
