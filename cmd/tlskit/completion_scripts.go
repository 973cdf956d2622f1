package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

// The scripts pass the words typed so far, the current one last, to
// "tlskit __complete" and show its answer (completion.go).

const bashCompletion = `# bash completion for %[1]s: source <(%[1]s completion bash), or save it as
# /etc/bash_completion.d/%[1]s
_%[2]s_complete() {
  local cur=${COMP_WORDS[COMP_CWORD]} line
  local -a words=("${COMP_WORDS[@]:1:COMP_CWORD}") answer=()
  # bash splits --flag=value at the "=": complete the value after it.
  if [[ $cur == = ]]; then cur=; words[${#words[@]}-1]=; fi
  while IFS= read -r line; do answer+=("${line%%%%$'\t'*}"); done \
    < <("${COMP_WORDS[0]}" __complete "${words[@]}" 2>/dev/null)
  COMPREPLY=()
  case ${answer[0]-} in
  :files) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
  :dirs) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
  *) for line in "${answer[@]}"; do [[ $line == "$cur"* ]] && COMPREPLY+=("$line"); done ;;
  esac
}
complete -F _%[2]s_complete %[1]s
`

const zshCompletion = `#compdef %[1]s
# zsh completion for %[1]s: save as _%[1]s in a directory of $fpath, or source it
_%[2]s() {
  local -a answer candidates
  local line
  answer=("${(@f)$("${words[1]}" __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
  case ${answer[1]} in
  :files) _files; return ;;
  :dirs) _files -/; return ;;
  esac
  for line in "${answer[@]}"; do
    if [[ $line == *$'\t'* ]]; then
      candidates+=("${${line%%%%$'\t'*}//:/\\:}:${line#*$'\t'}")
    elif [[ -n $line ]]; then
      candidates+=("${line//:/\\:}")
    fi
  done
  _describe -t values '%[1]s' candidates
}
if [[ ${funcstack[1]} == _%[2]s ]]; then
  _%[2]s "$@"
elif (( $+functions[compdef] )); then
  compdef _%[2]s %[1]s
fi
`

const fishCompletion = `# fish completion for %[1]s: save as ~/.config/fish/completions/%[1]s.fish
function __%[2]s_complete
    set -l words (commandline -opc)
    set -l answer ($words[1] __complete $words[2..-1] (commandline -ct) 2>/dev/null)
    switch "$answer[1]"
        case :files
            __fish_complete_path (commandline -ct)
        case :dirs
            __fish_complete_directories (commandline -ct)
        case '*'
            printf '%%s\n' $answer
    end
end
complete -c %[1]s -f -a '(__%[2]s_complete)'
`

var completionScripts = map[string]string{"bash": bashCompletion, "zsh": zshCompletion, "fish": fishCompletion}

func completionCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script: bash, zsh or fish",
		UsageText: "tlskit completion bash|zsh|fish",
		ArgsUsage: "SHELL",
		Description: "bash: source <(tlskit completion bash)\n" +
			"zsh:  tlskit completion zsh > \"${fpath[1]}/_tlskit\"\n" +
			"fish: tlskit completion fish > ~/.config/fish/completions/tlskit.fish",
		Action: func(c *cli.Context) error { return e.completion(c) },
	}
}

func (e *env) completion(c *cli.Context) error {
	if c.NArg() != 1 {
		return usageError("run 'tlskit completion bash', 'zsh' or 'fish'", "completion takes one shell name")
	}
	script, ok := completionScripts[c.Args().First()]
	if !ok {
		return usageError("use bash, zsh or fish", "unknown shell %q", c.Args().First())
	}
	name := c.App.Name
	fmt.Fprintf(e.stdout, script, name, strings.NewReplacer("-", "_", ".", "_").Replace(name))
	return nil
}
