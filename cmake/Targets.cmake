# bora_compiled_targets(<out> <dir>): every target that compiles sources
# (libraries and executables) defined in <dir> and the folders below it, for
# the passes that CMakeLists.txt applies once every target exists
# (cmake/BuildModes.cmake, cmake/Precompiled.cmake).
function(bora_compiled_targets out dir)
  set(found)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub IN LISTS subdirs)
    bora_compiled_targets(below ${sub})
    list(APPEND found ${below})
  endforeach()
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(t IN LISTS targets)
    get_target_property(type ${t} TYPE)
    if(type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|MODULE_LIBRARY|OBJECT_LIBRARY|EXECUTABLE)$")
      list(APPEND found ${t})
    endif()
  endforeach()
  set(${out} ${found} PARENT_SCOPE)
endfunction()
