/**
 * isolinux.cfg as upstream's org.osbuild.isolinux writes it: the same
 * template, filled the same way (string.Template.safe_substitute).
 */
export const ISOLINUX_CFG_TEMPLATE = `
default vesamenu.c32
timeout 600

display boot.msg

# Clear the screen when exiting the menu, instead of leaving the menu displayed.
# For vesamenu, this means the graphical background is still displayed without
# the menu itself for as long as the screen remains in graphics mode.
menu clear
menu background splash.png
menu title \${product} \${version}
menu vshift 8
menu rows 18
menu margin 8
#menu hidden
menu helpmsgrow 15
menu tabmsgrow 13

# Border Area
menu color border * #00000000 #00000000 none

# Selected item
menu color sel 0 #ffffffff #00000000 none

# Title bar
menu color title 0 #ff7ba3d0 #00000000 none

# Press [Tab] message
menu color tabmsg 0 #ff3a6496 #00000000 none

# Unselected menu item
menu color unsel 0 #84b8ffff #00000000 none

# Selected hotkey
menu color hotsel 0 #84b8ffff #00000000 none

# Unselected hotkey
menu color hotkey 0 #ffffffff #00000000 none

# Help text
menu color help 0 #ffffffff #00000000 none

# A scrollbar of some type? Not sure.
menu color scrollbar 0 #ffffffff #ff355594 none

# Timeout msg
menu color timeout 0 #ffffffff #00000000 none
menu color timeout_msg 0 #ffffffff #00000000 none

# Command prompt text
menu color cmdmark 0 #84b8ffff #00000000 none
menu color cmdline 0 #ffffffff #00000000 none

# Do not display the actual menu unless the user presses a key. All that is displayed is a timeout message.

menu tabmsg Press Tab for full configuration options on menu items.

menu separator # insert an empty line
menu separator # insert an empty line

label linux
  menu label ^Install \${product} \${version}
  kernel vmlinuz
  append initrd=initrd.img \${cmdline} quiet

label check
  menu label Test this ^media & install \${product} \${version}
  menu default
  kernel vmlinuz
  append initrd=initrd.img \${cmdline} rd.live.check quiet

$fipsentry
menu separator # insert an empty line

# utilities submenu
menu begin ^Troubleshooting
  menu title Troubleshooting \${product} \${version}

label basic
  menu indent count 5
  menu label Install using ^basic graphics mode
  text help
\tTry this option out if you're having trouble installing
\t\${product} \${version}.
  endtext
  kernel vmlinuz
  append initrd=initrd.img \${cmdline} nomodeset quiet
label rescue
  menu indent count 5
  menu label ^Rescue a \${product} system
  text help
\tIf the system will not boot, this lets you access files
\tand edit config files to try to get it booting again.
  endtext
  kernel vmlinuz
  append initrd=initrd.img \${cmdline} inst.rescue quiet
label memtest
  menu label Run a ^memory test
  text help
\tIf your system is having issues, a problem with your
\tsystem's memory may be the cause. Use this utility to
\tsee if the memory is working correctly.
  endtext
  kernel memtest

menu separator # insert an empty line

label local
  menu label Boot from ^local drive
  localboot 0xffff

menu separator # insert an empty line
menu separator # insert an empty line

label returntomain
  menu label Return to ^main menu
  menu exit

`;

export const FIPS_ENTRY_TEMPLATE = `
label fips
  menu label ^Install \${product} \${version} in FIPS mode
  kernel vmlinuz
  append initrd=initrd.img \${cmdline} quiet fips=1

`;
