#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# VirtualDomain's save_config_on_stop and sync_config_on_stop on ocf:seapath:vm, against a real
# libvirt (node a) and a real Ceph (node ceph): what the stop leaves in config and in the image.

setup_file() {
  load vm-helpers
  vm_load
  vm_lab_up a
}

teardown_file() {
  load vm-helpers
  vm_load
  vm_lab_down a
}

setup() {
  load vm-helpers
  vm_load
}

# Changes the running domain as an admin would with virsh: a title, live only.
retitle() { libvirt_virsh a desc "$1" --live --title --new-desc "$2" >/dev/null; }

@test "save_config_on_stop: stop writes the changed running definition to config and to the image; without it config stays" {
  local config=$VM_DIR/etc/vmsave.xml before
  vm_image vmsave --guest noos
  rm -f "$config"
  # without it (the default), a change made while running is lost at stop, as with VirtualDomain
  vm_agent a start vmsave
  retitle vmsave "changed before a plain stop"
  before=$(md5sum <"$config")
  OCF_TIMEOUT_MS=8000 vm_agent a stop vmsave
  [ "$(md5sum <"$config")" = "$before" ]
  [ "$(grep -c '<title>' "$config")" -eq 0 ]
  # with it, the stop saves the definition libvirt holds before shutting the domain down
  vm_agent a start vmsave save_config_on_stop=true
  retitle vmsave "changed while running"
  OCF_TIMEOUT_MS=8000 run vm_agent a stop vmsave save_config_on_stop=true
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(vm_state a vmsave)" = absent ]
  [[ $output == *"saved the definition of vmsave to $config"* ]]
  grep -q '<title>changed while running</title>' "$config"
  # a domain XML still (VirtualDomain checks it with virt-xml-validate before writing)
  virt-xml-validate "$config" domain
  # seapath=true: the system image's copy too, so that the next start on any node boots the saved one
  ceph_rbd image-meta get rbd/system_vmsave xml | grep -q '<title>changed while running</title>'
  rm -f "$config"
  vm_agent a start vmsave
  libvirt_virsh a dumpxml vmsave | grep -q '<title>changed while running</title>'
  OCF_TIMEOUT_MS=8000 vm_agent a stop vmsave force_stop=true
  [ "$(vm_state a vmsave)" = absent ]
}

@test "save_config_on_stop: an unchanged definition is not rewritten; force_stop does not save, as in VirtualDomain" {
  local config=$VM_DIR/etc/vmsame.xml
  vm_image vmsame --guest noos
  vm_agent a start vmsame save_config_on_stop=true
  OCF_TIMEOUT_MS=8000 vm_agent a stop vmsame save_config_on_stop=true
  # the first stop writes libvirt's own formatting of the XML; a second round changes nothing
  touch -d '2000-01-01' "$config"
  vm_agent a start vmsame save_config_on_stop=true seapath=false
  OCF_TIMEOUT_MS=8000 run vm_agent a stop vmsame save_config_on_stop=true seapath=false
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output != *"saved the definition"* ]]
  [ "$(stat -c %Y "$config")" = "$(date -d '2000-01-01' +%s)" ]
  vm_agent a start vmsame save_config_on_stop=true seapath=false
  retitle vmsame "not saved by a forced stop"
  run vm_agent a stop vmsame save_config_on_stop=true seapath=false force_stop=true
  [ "$status" -eq 0 ]
  [ "$(grep -c '<title>' "$config")" -eq 0 ]
  [ "$(vm_state a vmsame)" = absent ]
}

@test "save_config_on_stop through a config that is a link (to a shared file): the link stays, its target is written, its mode kept" {
  local config=$VM_DIR/etc/vmlink.xml shared=$VM_DIR/shared/vmlink.xml
  vm_image vmlink --guest noos
  mkdir -p "$VM_DIR/shared"
  cp "$VM_DIR/vmlink.xml" "$shared"
  chmod 0644 "$shared"
  ln -sfn "$shared" "$config"
  vm_agent a start vmlink save_config_on_stop=true seapath=false
  retitle vmlink "saved through the link"
  OCF_TIMEOUT_MS=8000 run vm_agent a stop vmlink save_config_on_stop=true seapath=false
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"saved the definition of vmlink to $config"* ]]
  [ -L "$config" ]
  [ "$(readlink "$config")" = "$shared" ]
  grep -q '<title>saved through the link</title>' "$shared"
  [ "$(stat -c %a "$shared")" = 644 ]
  [ "$(vm_state a vmlink)" = absent ]
}

@test "sync_config_on_stop: without csync2 on the node start is 5 naming it, as VirtualDomain's check_binary; nothing starts" {
  vm_image vmsync --guest noos
  if command -v csync2 >/dev/null; then
    run vm_agent_hiding csync2 a start vmsync sync_config_on_stop=true
  else
    run vm_agent a start vmsync sync_config_on_stop=true
  fi
  echo "$output"
  [ "$status" -eq 5 ]
  [[ $(ocf_exit_reason) == *csync2* ]]
  [ "$(vm_state a vmsync)" = absent ]
}
